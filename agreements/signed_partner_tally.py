"""Reading and checking the tally of agreements signed by partner
(agreements.models.SignedPartnerTally).

Its rows have the delegation tally's grains (days, months, whole years), so
``reports.tally.within(start, end)`` selects the rows that cover any span
exactly once; reports/selectors_period.py sums them by partner. `rebuild`
recounts everything (after a bulk load with the triggers disabled, a restore,
or to repair); `differences` compares the tally with a full recount. The
reading is register/tallies.py's, shared with the other tallies."""

from agreements import signed_partner_tally_sql
from agreements.models import SignedPartnerTally
from register.tallies import TallyReader

READER = TallyReader(
    SignedPartnerTally,
    keys=("grain", "period", "province", "partner_id", "public", "approved"),
    measures=("month", "year", "agreements"),
    rebuild_statements=signed_partner_tally_sql.rebuild_statements,
)

visible_tally = READER.visible
counted_tally = READER.counted
rebuild = READER.rebuild
differences = READER.differences
