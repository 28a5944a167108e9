# The ten rules of benches/peers/ten.rules in Rego, for regorus (benches/peers.rs, issue 17,
# item 5). `input` is one record of the JSON Lines format (docs/records.md) as it stands;
# `data.embargo.fired` is the set of the ids of the rules that fire on it. Dates are ISO
# strings (YYYY-MM-DD), compared as strings; both ends of an interval are included.
package embargo

import rego.v1

receivers := {"buyer", "importer", "consignee", "end_user", "recipient"}

suppliers := {"seller", "exporter", "supplier", "manufacturer", "provider"}

# A good in `small_arms` or `heavy_arms` is in `arms` too.
arms_categories := {"arms", "small_arms", "heavy_arms"}

arms_hs := ["93", "8710", "890610"]

arms_services := {"technical_assistance", "training", "financial", "brokering", "maintenance", "insurance", "transport"}

dprk_wmd_hs := ["8806", "8802", "8411", "841210", "8401", "8525", "8526", "9013", "9014", "28", "29"]

# A place within a country: the country, or one of its subdivisions (`KP-01`).
within(place, country) if place == country

within(place, country) if startswith(place, concat("", [country, "-"]))

# An HS code within a list of headings: dots and spaces ignored, compared by prefix.
hs_within(hs, headings) if {
	digits := replace(replace(hs, ".", ""), " ", "")
	some heading in headings
	startswith(digits, heading)
}

in_force(from) if input.date >= from

in_force_until(from, until) if {
	input.date >= from
	input.date <= until
}

to_country(country) if within(input.destination, country)

to_country(country) if {
	some p in input.parties
	p.role in receivers
	within(p.country, country)
}

from_country(country) if within(input.origin, country)

from_country(country) if {
	some p in input.parties
	p.role in suppliers
	within(p.country, country)
}

arms(g) if {
	some c in g.categories
	c in arms_categories
}

arms(g) if hs_within(g.hs, arms_hs)

heavy_arms(g) if "heavy_arms" in g.categories

small_arms(g) if "small_arms" in g.categories

fired contains "un.dprk.arms.to_dprk.heavy" if {
	in_force("2006-10-14")
	input.activity == "trade"
	to_country("KP")
	some g in input.goods
	heavy_arms(g)
}

fired contains "un.dprk.arms.to_dprk.all_but_salw" if {
	in_force_until("2009-06-12", "2016-03-01")
	input.activity == "trade"
	to_country("KP")
	some g in input.goods
	arms(g)
	not small_arms(g)
}

fired contains "un.dprk.arms.to_dprk.salw_notice" if {
	in_force_until("2009-06-12", "2016-03-01")
	input.activity == "trade"
	to_country("KP")
	some g in input.goods
	small_arms(g)
}

fired contains "un.dprk.arms.to_dprk.all" if {
	in_force("2016-03-02")
	input.activity == "trade"
	to_country("KP")
	some g in input.goods
	arms(g)
}

fired contains "un.dprk.arms.from_dprk" if {
	in_force("2009-06-12")
	input.activity == "trade"
	from_country("KP")
	some g in input.goods
	arms(g)
}

dprk_place if within(input.destination, "KP")

dprk_place if within(input.origin, "KP")

dprk_place if within(input.location, "KP")

dprk_place if {
	some p in input.parties
	within(p.country, "KP")
}

arms_service_or_finance if {
	some s in input.services
	s in arms_services
}

arms_service_or_finance if input.activity in {"financing", "payment"}

fired contains "un.dprk.arms.services" if {
	in_force("2009-06-12")
	input.activity in {"service", "financing", "payment"}
	dprk_place
	arms_service_or_finance
	some g in input.goods
	arms(g)
}

to_or_from_dprk if within(input.destination, "KP")

to_or_from_dprk if within(input.origin, "KP")

to_or_from_dprk if {
	some p in input.parties
	p.role in (receivers | suppliers)
	within(p.country, "KP")
}

fired contains "un.dprk.wmd.hs_review" if {
	in_force("2006-10-14")
	input.activity == "trade"
	to_or_from_dprk
	some g in input.goods
	hs_within(g.hs, dprk_wmd_hs)
	not g.categories
}

fired contains "un.dprk.luxury" if {
	in_force("2006-10-14")
	input.activity == "trade"
	to_country("KP")
	some g in input.goods
	"luxury" in g.categories
}

fired contains "un.iran.1747.arms_from_iran" if {
	iran_1747_in_force
	input.activity == "trade"
	from_country("IR")
	some g in input.goods
	arms(g)
}

iran_1747_in_force if in_force_until("2007-03-24", "2016-01-15")

iran_1747_in_force if in_force("2025-09-28")

fired contains "un.iran.1929.heavy_arms_to_iran" if {
	iran_1929_in_force
	input.activity == "trade"
	to_country("IR")
	some g in input.goods
	heavy_arms(g)
}

iran_1929_in_force if in_force_until("2010-06-09", "2016-01-15")

iran_1929_in_force if in_force("2025-09-28")
