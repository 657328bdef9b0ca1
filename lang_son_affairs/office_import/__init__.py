"""Reading the provincial foreign-affairs offices' own spreadsheets (issue 15)."""
