package web

// historyRoutes lists the routes of the Council's historical record (placeholder until they are written).
func (s *Server) historyRoutes() []route { return nil }
