"""The learner's wrong-answer book (错题本): every question whose latest answer the learner may see
was wrong, grouped by the document's tasks and topics, to review or to practise as a quiz."""
