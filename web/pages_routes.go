package web

// councilPages lists the council's pages (placeholder until they are written).
func (s *Server) councilPages() []route { return nil }
