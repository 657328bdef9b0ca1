"""Reading and checking the project tally (projects.models.ProjectTally).

Its start and end rows have the same grains as the delegation tally's (days,
months, whole years), so ``reports.tally.within(start, end)`` selects the few
rows that cover any span exactly once; reports/projects_period.py turns them
into the projects active in a period. `rebuild` recounts everything (after a
bulk load with the triggers disabled, a restore, or to repair); `differences`
compares the tally with a full recount (what the tests use). The reading is
register/tallies.py's, shared with the other tallies."""

from projects import project_tally_sql
from projects.models import ProjectTally
from register.tallies import TallyReader

READER = TallyReader(
    ProjectTally,
    keys=("grain", "period", "province", "until", "event", "kind", "public", "approved", "usd"),
    measures=("month", "year", "projects", "committed_vnd", "committed_amount"),
    rebuild_statements=project_tally_sql.rebuild_statements,
)

visible_tally = READER.visible
counted_tally = READER.counted
rebuild = READER.rebuild
differences = READER.differences
