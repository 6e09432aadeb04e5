// Package roster knows who sat on the UN Security Council in each year and
// who presided in each month, by Rule 18 of the Council's provisional rules of
// procedure: the presidency is held in turn by the members in the English
// alphabetical order of their names, one calendar month each, and the
// rotation runs on across the January change of membership.
//
// Default gives the real record, embedded from four CSV tables under data/
// (UTF-8, a header row, '#' starts a comment line; Parse reads the same
// tables from elsewhere):
//
//   - membership.csv (year,code,name,permanent): every member of every
//     year, the years running on without a gap; permanent is true or false.
//     Adding next year's members is an edit of this file only.
//   - sort_names.csv (code,from_year,to_year,sort_name,note): the name a
//     state was alphabetised under in those years where it differs from
//     membership.csv, such as Ceylon or Zaire. A state renamed in the course
//     of a year keeps for that year the name it had on 1 January.
//   - presidency_overrides.csv (year,month,code,note): months in which the
//     President was not the member the rule gives. An override replaces the
//     computed President and the rotation runs on from it.
//   - countries.csv (code,name): the UN short names of the UN Members, the
//     observer states and the dissolved states of the Council's record, by
//     which codes outside a year's membership are known and named.
//
// Codes are ISO 3166 alpha-3, and ISO 3166-3 for dissolved states (SUN, YUG,
// CSK, DDR). Names are compared case-insensitively with diacritics folded
// (see Fold).
package roster
