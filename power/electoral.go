package power

// electoralVotes is the US Electoral College as apportioned after the 2020 census, in force for the
// elections of 2024 and 2028: 538 electors, 270 to win. Source: U.S. National Archives and Records
// Administration, "Distribution of Electoral Votes" (https://www.archives.gov/electoral-college/allocation),
// from the Census Bureau's 2020 apportionment (Table 1, released 26 April 2021), plus the District
// of Columbia's 3 (23rd Amendment). Maine and Nebraska, which award some electors by district, are
// each counted as one player, as power studies of the College usually do.
var electoralVotes = []struct {
	Code, Name string
	Votes      int64
}{
	{"AL", "Alabama", 9}, {"AK", "Alaska", 3}, {"AZ", "Arizona", 11}, {"AR", "Arkansas", 6},
	{"CA", "California", 54}, {"CO", "Colorado", 10}, {"CT", "Connecticut", 7}, {"DE", "Delaware", 3},
	{"DC", "District of Columbia", 3}, {"FL", "Florida", 30}, {"GA", "Georgia", 16}, {"HI", "Hawaii", 4},
	{"ID", "Idaho", 4}, {"IL", "Illinois", 19}, {"IN", "Indiana", 11}, {"IA", "Iowa", 6},
	{"KS", "Kansas", 6}, {"KY", "Kentucky", 8}, {"LA", "Louisiana", 8}, {"ME", "Maine", 4},
	{"MD", "Maryland", 10}, {"MA", "Massachusetts", 11}, {"MI", "Michigan", 15}, {"MN", "Minnesota", 10},
	{"MS", "Mississippi", 6}, {"MO", "Missouri", 10}, {"MT", "Montana", 4}, {"NE", "Nebraska", 5},
	{"NV", "Nevada", 6}, {"NH", "New Hampshire", 4}, {"NJ", "New Jersey", 14}, {"NM", "New Mexico", 5},
	{"NY", "New York", 28}, {"NC", "North Carolina", 16}, {"ND", "North Dakota", 3}, {"OH", "Ohio", 17},
	{"OK", "Oklahoma", 7}, {"OR", "Oregon", 8}, {"PA", "Pennsylvania", 19}, {"RI", "Rhode Island", 4},
	{"SC", "South Carolina", 9}, {"SD", "South Dakota", 3}, {"TN", "Tennessee", 11}, {"TX", "Texas", 40},
	{"UT", "Utah", 6}, {"VT", "Vermont", 3}, {"VA", "Virginia", 13}, {"WA", "Washington", 12},
	{"WV", "West Virginia", 4}, {"WI", "Wisconsin", 10}, {"WY", "Wyoming", 3},
}

// ElectoralCollege is the US Electoral College of 2024 as a weighted game: 51 players (the states
// and the District of Columbia) with their electoral votes, 270 of 538 to win.
func ElectoralCollege() *Game {
	g := &Game{Name: "US Electoral College (2020 apportionment, elections of 2024 and 2028)", Quota: 270,
		Players: make([]Player, len(electoralVotes)), Need: make([]int64, len(electoralVotes)+1)}
	for i, s := range electoralVotes {
		g.Players[i] = Player{ID: s.Code, Name: s.Name, Weight: s.Votes}
	}
	for k := range g.Need {
		g.Need[k] = 270
	}
	return g
}

// EEC1958 is the Council of the European Economic Community of 1958 deciding by qualified majority:
// France, Germany and Italy 4 votes each, Belgium and the Netherlands 2, Luxembourg 1; 12 of 17 to
// win (Treaty of Rome, Art. 148(2)). Luxembourg is never decisive.
func EEC1958() *Game {
	g, _ := Weighted("Council of the EEC, 1958 (qualified majority, Treaty of Rome Art. 148)",
		[]string{"FRA", "DEU", "ITA", "BEL", "NLD", "LUX"}, []int64{4, 4, 4, 2, 2, 1}, 12)
	names := []string{"France", "Germany", "Italy", "Belgium", "Netherlands", "Luxembourg"}
	for i := range g.Players {
		g.Players[i].Name = names[i]
	}
	return g
}

// Builtin returns a game that ships with the package by name: "us-electoral-college" or "eec-1958".
func Builtin(name string) (*Game, bool) {
	switch name {
	case "us-electoral-college", "electoral-college":
		return ElectoralCollege(), true
	case "eec-1958", "eec":
		return EEC1958(), true
	}
	return nil, false
}

// BuiltinNames lists the names Builtin knows.
func BuiltinNames() []string { return []string{"us-electoral-college", "eec-1958"} }
