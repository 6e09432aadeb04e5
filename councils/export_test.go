package councils

// QueueLen is how many requests wait in a council's queue, for tests that need a round to fill up.
func QueueLen(s *Service, stream string) int {
	s.mu.Lock()
	l := s.live[stream]
	s.mu.Unlock()
	if l == nil {
		return 0
	}
	l.qmu.Lock()
	defer l.qmu.Unlock()
	return len(l.queue)
}
