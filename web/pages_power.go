package web

// powerPages lists the pages of voting power (placeholder until they are written).
func (s *Server) powerPages() []route { return nil }
