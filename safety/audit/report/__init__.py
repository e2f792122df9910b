"""`content-safety report`: a month of the audit trail as one offline HTML file (and CSV)."""
