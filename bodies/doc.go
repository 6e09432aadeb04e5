// Package bodies reads body files: YAML files that say who votes in a deliberative body and how its
// decisions are taken. A body is data, not code: the UN Security Council ships in the binary ("unsc"),
// and anyone can write a file for the General Assembly, a board or the Council of the EU.
//
// # A body file
//
//	id: unsc                  # short name used by scenarios (lowercase letters, digits, - and _)
//	name: United Nations Security Council
//	prefix: S                 # document symbols: S/PV.N, S/RES/N (YEAR), S/PRST/YEAR/N; default: the id in capitals
//	roster: unsc              # members come from the Security Council roster by date;
//	                          # omit it and list members instead
//	presidency: rotation      # monthly, English alphabetical order (Rule 18); omit for none
//	defaults: {agenda: procedural, draft: substantive, amendment: substantive, statement: statement}
//	eras:                     # or, for one era, put seats/classes/quorum/decisions at the top level
//	  - from: 1946-01-01
//	    seats: 11
//	    classes: [permanent, elected]
//	    decisions:
//	      procedural: {votes: 7}
//	      substantive: {votes: 7, veto: permanent}
//	      statement: {consensus: true}
//	  - from: 1966-01-01
//	    seats: 15
//	    classes: [permanent, elected]
//	    decisions:
//	      procedural: {votes: 9}
//	      substantive: {votes: 9, veto: permanent}
//	      statement: {consensus: true}
//
// A body with one set of rules puts them at the top level:
//
//	id: board
//	name: Board of directors
//	seats: 9
//	quorum: {share: majority}
//	members: {director: [ALICE, BOB, CAROL, DAVID, ERIN, FRANK, GRACE, HEIDI, IVAN]}
//	decisions:
//	  ordinary: {share: majority, of: voting}
//	  special: {share: 2/3, of: voting}
//	defaults: {agenda: ordinary, draft: ordinary, amendment: ordinary, statement: ordinary}
//
// # Fields
//
// Top level: id (required), name, prefix, roster, presidency, defaults, members, and either eras or the fields
// of one era. An era has from (YYYY-MM-DD; required after the first era, in date order), seats (how
// many members sit; omit for any number), classes (the member classes; by default those of the members
// listed), quorum and decisions (required: decision name to how it is taken).
//
// A decision is one criterion, several criteria that must all hold, or consensus, and may give a veto:
//
//	{votes: 9}                              at least 9 affirmative votes
//	{share: 2/3, of: voting}                two thirds of those present and voting
//	{share: majority, of: voting}           more than half of those present and voting
//	{share: "65%", of: members, weighted: true}   65% of the members' total weight
//	{votes: 3, share: majority, of: voting} both at once
//	{all: [{share: "55%", of: members}, {share: "65%", of: members, weighted: true}], blocking_minority: 4}
//	{consensus: true}                       taken unless a member objects (votes against)
//	{votes: 9, veto: permanent}             a negative vote of a permanent member defeats it
//
// A share is a fraction (2/3), a percentage ("55%", quoted in flow style), a decimal (0.85), "majority"
// (more than half) or "more than " followed by any of these. of is members (every member of the body,
// the default), present (members present, abstaining included) or voting (in favour or against:
// abstainers are not voting). blocking_minority deems the criteria met when fewer than that many
// members did not vote in favour (TEU Art. 16(4)).
//
// quorum is {members: 5}, {share: majority} (a share of all members must be present) or both.
//
// members, when there is no roster, is either a list of {code, name, class, weight}, or a map from
// class to a list of codes:
//
//	members:
//	  - {code: DEU, name: Germany, weight: 83445}
//	  - {code: FRA, name: France, weight: 68402}
//
//	members: {member: [AFG, ALB, DZA]}
//
// Codes are uppercase letters and digits (ISO 3166 alpha-3 for states); weight defaults to 1; class
// may be left out when the body has a single class. defaults maps what is voted on (agenda, draft,
// amendment, statement) to the decision used when a vote names none; each must exist in every era.
//
// Files are read as YAML 1.2: yes and no are plain strings, booleans are true and false. Unknown keys
// are errors, and every error names the file, the line and the field, for example
//
//	general-assembly.yaml:12: decisions.important.share: bad share "2/0" (...)
package bodies
