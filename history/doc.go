// Package history is the UN Security Council's real record since 1946, read from the public tables
// embedded under data/ (see data/SOURCES.md): every formal meeting from 1 January 1946 to 30 June 2022
// with its outcomes and tallies as the Dag Hammarskjöld Library words them, the Library's list of
// vetoed drafts, and the procedural votes on human rights in the DPRK (2014–2017) with each member's
// ballot. The membership of each year comes from package roster.
//
// Parse reads the tables into meetings, their outcomes (resolutions, drafts not adopted, vetoed drafts
// with the vetoing members, presidential statements, ...) and the veto list, and lists every cell or
// part of a cell it cannot read as a Problem, with the reason: nothing is skipped silently.
//
// Check recomputes each recorded vote with the rules engine (package rules) from its tally, the
// membership of its date and the known vetoing members, and lists where the engine and the record
// disagree. WhatIf evaluates the same votes under other rules: without the veto, with another
// threshold, with a member's negative votes turned into abstentions. The queries (vetoes by member,
// year or topic, resolutions per year, the share adopted unanimously, drafts that failed without a
// veto, meetings on a topic, a member's record over its terms) answer from indexes built once.
//
// Import writes the record into an event store as the stream "$unsc-history" (Stream), which Load reads
// back. docs/history.md describes the model, the assumptions of the check and the figures.
package history
