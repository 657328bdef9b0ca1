"""Issued reports (issue 18, parts 1 and 4): the periodic report drafted in the
admin, issued by an approver with a number and a signer, then frozen.

The content and the files are the periodic report's (``reports.periodic``,
pure functions of a period); this package keeps what was issued: the record
(``models``), issuing and correcting it (``services``), its admin and its
public pages (``views``)."""
