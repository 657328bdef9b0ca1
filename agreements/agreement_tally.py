"""Reading and checking the agreement tally (agreements.models.AgreementTally).

Its rows have the same grains as the delegation tally's (days, months, whole
years), so ``reports.tally.within(start, end)`` selects the few rows that cover
any span exactly once; reports/selectors_period.py reads them. `rebuild`
recounts everything (after a bulk load with the triggers disabled, a restore,
or to repair); `differences` compares the tally with a full recount (what the
tests use). The reading is register/tallies.py's, shared with the
other tallies."""

from agreements import agreement_tally_sql
from agreements.models import AgreementTally
from register.tallies import TallyReader

READER = TallyReader(
    AgreementTally,
    keys=("grain", "period", "province", "event", "level", "public", "approved"),
    measures=("month", "year", "agreements"),
    rebuild_statements=agreement_tally_sql.rebuild_statements,
)

visible_tally = READER.visible
counted_tally = READER.counted
rebuild = READER.rebuild
differences = READER.differences
