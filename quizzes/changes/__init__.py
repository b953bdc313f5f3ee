"""What a new version of the document changed, offered to the learners who studied the one before:
selectors (who is offered what) and views (the page, the card, the quiz, the dismissal)."""
