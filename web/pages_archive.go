package web

// archivePages lists the pages of the Council's historical record (placeholder until they are written).
func (s *Server) archivePages() []route { return nil }
