"""The pure core of the quiz: question kinds, answer checking, FSRS scheduling, picking questions,
and the small rules the rest asks. Plain data in and out; no ORM, no request; randomness passed in."""
