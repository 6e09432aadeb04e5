package scenario

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
)

// Generate writes a valid scenario of exactly steps steps for the real Security Council, for load tests
// and benchmarks. Day after day from 3 January 2000 (several times a day when the scenario is too long
// to end by 2026, where the roster ends) it runs a meeting as the Council holds them: a
// member's letter gathers signatures and a refusal and is submitted; the President schedules and opens
// the meeting; two members object and the agenda is put to a procedural vote; every member speaks; a
// draft is circulated, co-sponsored and amended, the amendment and the draft are voted on (some drafts
// are vetoed); five members explain their votes; a presidential statement is proposed (some are
// blocked); the meeting closes. That is 35 steps, four of them decisions. The same seed gives the same
// file.
func Generate(w io.Writer, steps int, seed uint64) error {
	r := roster.Default()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "title: generated scenario, %d steps, seed %d\nbody: unsc\nas_of: 2000-01-03\nsteps:\n", steps, seed)
	day := council.DateOf(2000, 1, 3)
	// One meeting a day, or as many as it takes for the scenario to end within the roster (2026).
	days := int(council.DateOf(2026, 12, 31) - day)
	perDay := (steps/35 + days) / days
	written := 0
	for n := 1; written < steps; n++ {
		y := day.Year()
		ms, err := r.Members(y)
		if err != nil {
			return err
		}
		codes := make([]string, len(ms))
		for i, m := range ms {
			codes[i] = m.Code
		}
		pick := rng.Perm(len(codes))
		who := func(i int) string { return codes[pick[i]] }
		whos := func(from, to int) string {
			out := make([]string, 0, to-from)
			for i := from; i < to; i++ {
				out = append(out, who(i))
			}
			return "[" + strings.Join(out, ", ") + "]"
		}
		ballots := func() string {
			p := rng.Perm(len(codes))
			nNo, nAb := rng.IntN(3), rng.IntN(3)
			no := make([]string, 0, nNo)
			ab := make([]string, 0, nAb)
			for _, i := range p[:nNo] {
				no = append(no, codes[i])
			}
			for _, i := range p[nNo : nNo+nAb] {
				ab = append(ab, codes[i])
			}
			return fmt.Sprintf("yes: rest, no: [%s], abstain: [%s]", strings.Join(no, ", "), strings.Join(ab, ", "))
		}
		lines := []string{
			fmt.Sprintf("request: {id: r%d, by: %s, subject: \"Item %d\", at: %s}", n, who(0), n, day),
			fmt.Sprintf("sign: {request: r%d, by: %s}", n, whos(1, 9)),
			fmt.Sprintf("decline: {request: r%d, by: %s}", n, who(9)),
			fmt.Sprintf("submit: {request: r%d}", n),
			fmt.Sprintf("schedule: {meeting: m%d, on: %s, request: r%d, agenda: [\"Item %d\"]}", n, day, n, n),
			fmt.Sprintf("open: {meeting: m%d}", n),
			fmt.Sprintf("object: {meeting: m%d, by: %s}", n, whos(9, 11)),
			fmt.Sprintf("vote: {meeting: m%d, on: agenda, yes: rest, no: %s}", n, whos(9, 11)),
		}
		for _, i := range rng.Perm(len(codes)) {
			lines = append(lines, fmt.Sprintf("statement: {meeting: m%d, by: %s}", n, codes[i]))
		}
		lines = append(lines,
			fmt.Sprintf("draft: {id: d%d, by: %s, title: \"Draft %d\", meeting: m%d}", n, whos(0, 3), n, n),
			fmt.Sprintf("cosponsor: {draft: d%d, by: %s}", n, who(3)),
			fmt.Sprintf("amend: {id: a%d, draft: d%d, by: %s}", n, n, whos(11, 12)),
			fmt.Sprintf("vote: {meeting: m%d, on: a%d, %s}", n, n, ballots()),
			fmt.Sprintf("vote: {meeting: m%d, on: d%d, %s}", n, n, ballots()),
		)
		for i := range 5 {
			lines = append(lines, fmt.Sprintf("statement: {meeting: m%d, by: %s, text: \"explanation of vote\"}", n, who(i)))
		}
		lines = append(lines,
			fmt.Sprintf("prst: {meeting: m%d, objections: %s}", n, whos(12, 12+rng.IntN(2))),
			fmt.Sprintf("close: {meeting: m%d}", n),
		)
		for _, l := range lines {
			if written == steps {
				break
			}
			bw.WriteString("  - ")
			bw.WriteString(l)
			bw.WriteByte('\n')
			written++
		}
		if n%perDay == 0 {
			day++
		}
	}
	return bw.Flush()
}
