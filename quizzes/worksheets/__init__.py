"""Printable worksheets: a scope's or an assignment's questions laid out for paper, with the answer
key on a page of its own, as an HTML page and as a PDF of the same.

`sheets.py` chooses and lays out the questions (deterministic for a seed, so the page and the PDF
match), `pdf.py` prints the page with WeasyPrint, `views.py` serves both.
"""
