"""Source mappings: SSSOM files that translate each source's own codes into framework concepts.

`sssom_table` reads an SSSOM TSV file exactly as written (row by row, with line numbers), `lint` checks
it strictly, `codes` reads a source's full code list, `mapping_set` turns a checked file into the
code → concept assignments that harmonise applies, and `coverage` measures how much of an extract the
mapping covers.
"""
