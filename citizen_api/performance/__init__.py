"""效能考评: monthly performance scores of departments, windows and staff (issue 18)."""
