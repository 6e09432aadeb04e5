package web

// chamberPages lists the chamber's pages (placeholder until they are written).
func (s *Server) chamberPages() []route { return nil }
