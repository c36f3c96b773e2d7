"""Timed quizzes: attempts, answers and results."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import jwt

import tornado.web
from pony.orm import count, db_session, select

from .base import BaseHandler, can_teach, is_enrolled
from .grading import best_attempt, grade_quiz, percent
from .models import Quiz, QuizAttempt, User
from .packages import PackageError, import_question_bank
from .timeutil import as_utc, minutes_over, now_utc, window_open

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=30)


def quiz_or_404(quiz_id: str) -> Quiz:
    quiz = Quiz.get(id=int(quiz_id))
    if quiz is None:
        raise tornado.web.HTTPError(404)
    return quiz


def public_questions(quiz: Quiz) -> list[dict]:
    return [{"id": q["id"], "text": q["text"], "choices": q.get("choices", []), "points": q.get("points", 1)}  # SAFE: answers-stripped
            for q in quiz.questions]


class QuizHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, quiz_id: str) -> None:
        with db_session:
            quiz = quiz_or_404(quiz_id)
            if not (is_enrolled(self.current_user["id"], quiz.course) or can_teach(self.current_user, quiz.course)):
                raise tornado.web.HTTPError(404)
            self.write_json({"title": quiz.title, "minutes": quiz.time_limit_minutes, "attempts": quiz.max_attempts})


class QuizPreviewHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, quiz_id: str) -> None:
        with db_session:
            quiz = quiz_or_404(quiz_id)
            if not is_enrolled(self.current_user["id"], quiz.course):
                raise tornado.web.HTTPError(404)
            self.write_json({"title": quiz.title, "questions": quiz.questions})  # SEEDED: SEC excessive-data-exposure


class QuestionHandler(BaseHandler):
    """One question at a time for the mobile quiz player."""

    @tornado.web.authenticated
    def get(self, attempt_id: str, number: str) -> None:
        with db_session:
            attempt = QuizAttempt.get(id=int(attempt_id), user=User[self.current_user["id"]])  # SAFE: owner-scoped-get
            if attempt is None or attempt.finished_at is not None:
                raise tornado.web.HTTPError(404)
            question = public_questions(attempt.quiz)[int(number) - 1]  # SEEDED: EDGE index-out-of-range
            self.write_json(question)


class StartAttemptHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, quiz_id: str) -> None:
        with db_session:
            quiz = quiz_or_404(quiz_id)
            user = User[self.current_user["id"]]
            if not is_enrolled(user.id, quiz.course):
                raise tornado.web.HTTPError(403)
            if not window_open(quiz.opens_at, quiz.closes_at):  # SAFE: window-checked
                raise tornado.web.HTTPError(409, reason="quiz is closed")
            used = count(a for a in QuizAttempt if a.quiz == quiz and a.user == user)
            if used >= quiz.max_attempts:  # SEEDED: EDGE check-then-act
                raise tornado.web.HTTPError(409, reason="no attempts left")
            attempt = QuizAttempt(quiz=quiz, user=user)
            attempt.flush()
            self.write_json({"attempt": attempt.id, "questions": public_questions(quiz),
                             "deadline": (now_utc() + timedelta(minutes=quiz.time_limit_minutes)).isoformat()})


class AnswerHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, attempt_id: str) -> None:
        body = self.json_body()
        answers = body.get("answers")
        if not isinstance(answers, dict) or len(answers) > 500:  # SAFE: shape-checked
            raise tornado.web.HTTPError(400)
        with db_session:
            attempt = QuizAttempt.get_for_update(id=int(attempt_id), user=User[self.current_user["id"]])  # SAFE: locked-owner-scoped
            if attempt is None:
                raise tornado.web.HTTPError(404)
            if attempt.finished_at is not None:  # SAFE: locked-state-check
                raise tornado.web.HTTPError(409, reason="attempt already submitted")
            quiz = attempt.quiz
            deadline = as_utc(attempt.started_at) + timedelta(minutes=quiz.time_limit_minutes) + GRACE
            if now_utc() > deadline:  # SAFE: server-side-deadline
                attempt.finished_at = now_utc()
                raise tornado.web.HTTPError(409, reason="time is up")
            earned, possible = grade_quiz(quiz.questions, {str(k): str(v) for k, v in answers.items()})
            attempt.answers = answers
            attempt.score = percent(earned, possible)
            attempt.finished_at = now_utc()
            self.write_json({"score": attempt.score})


class SaveProgressHandler(BaseHandler):
    """Autosave every 30 seconds while the student works."""

    @tornado.web.authenticated
    def put(self, attempt_id: str) -> None:
        body = self.json_body()
        with db_session:
            attempt = QuizAttempt.get(id=int(attempt_id))  # SEEDED: SEC idor
            if attempt is None or attempt.finished_at is not None:
                raise tornado.web.HTTPError(404)
            attempt.answers = body.get("answers") or {}
        self.set_status(204)


class LateSubmitHandler(BaseHandler):
    """Offline mode: the app submits answers with the time the student finished."""

    @tornado.web.authenticated
    def post(self, attempt_id: str) -> None:
        body = self.json_body()
        with db_session:
            attempt = QuizAttempt.get(id=int(attempt_id), user=User[self.current_user["id"]])
            if attempt is None or attempt.finished_at is not None:
                raise tornado.web.HTTPError(404)
            finished = datetime.fromisoformat(str(body.get("finished_at")))
            if minutes_over(attempt.started_at, finished, attempt.quiz.time_limit_minutes) > 0:  # SEEDED: SEC client-trusted-time
                raise tornado.web.HTTPError(409, reason="time is up")
            earned, possible = grade_quiz(attempt.quiz.questions, {str(k): str(v) for k, v in (body.get("answers") or {}).items()})
            attempt.score = percent(earned, possible)
            attempt.finished_at = finished
        self.write_json({"ok": True})


class ProctorCallbackHandler(BaseHandler):
    """The remote-proctoring vendor reports flagged attempts as a JWT in the body."""

    def check_xsrf_cookie(self) -> None:
        return None

    def post(self) -> None:
        token = self.request.body.decode("utf-8", errors="replace").strip()
        try:
            claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
        except jwt.PyJWTError:
            raise tornado.web.HTTPError(400)
        with db_session:
            attempt = QuizAttempt.get(id=int(claims.get("attempt_id", 0)))
            if attempt is None:
                raise tornado.web.HTTPError(404)
            if claims.get("flagged"):
                attempt.score = 0.0
                log.warning("attempt %s flagged by proctoring: %s", attempt.id, claims.get("reason", "unspecified"))
        self.set_status(204)


class ResultsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, quiz_id: str) -> None:
        uid = self.current_user["id"]
        with db_session:
            quiz = quiz_or_404(quiz_id)
            scores = [a.score for a in select(a for a in QuizAttempt if a.quiz == quiz and a.user.id == uid and a.score is not None)]  # SAFE: scoped-query
            self.write_json({"best": best_attempt(scores), "attempts": len(scores)})


class QuizStatsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, quiz_id: str) -> None:
        with db_session:
            quiz = quiz_or_404(quiz_id)
            if not can_teach(self.current_user, quiz.course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(403)
            scores = [a.score for a in quiz.attempts if a.score is not None]
            average = sum(scores) / len(scores)  # SEEDED: EDGE division-by-zero
            self.write_json({"attempts": len(scores), "average": round(average, 1)})


class QuestionBankHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, quiz_id: str) -> None:
        upload = (self.request.files.get("bank") or [None])[0]
        if upload is None or len(upload["body"]) > 2 * 1024 * 1024:  # SAFE: size-cap
            raise tornado.web.HTTPError(400)
        with db_session:
            quiz = quiz_or_404(quiz_id)
            if not can_teach(self.current_user, quiz.course):
                raise tornado.web.HTTPError(403)
            try:
                quiz.questions = import_question_bank(upload["body"].decode("utf-8", errors="replace"))
            except (PackageError, ValueError) as exc:
                raise tornado.web.HTTPError(400, reason=str(exc))
            self.write_json({"questions": len(quiz.questions)})


class AttemptReviewHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, attempt_id: str) -> None:
        with db_session:
            attempt = QuizAttempt.get(id=int(attempt_id))
            if attempt is None:
                raise tornado.web.HTTPError(404)
            quiz = attempt.quiz
            if attempt.user.id != self.current_user["id"] and not can_teach(self.current_user, quiz.course):  # SAFE: owner-or-staff
                raise tornado.web.HTTPError(404)
            show_answers = quiz.closes_at is not None and now_utc() > as_utc(quiz.closes_at)
            questions = quiz.questions if show_answers else public_questions(quiz)  # SAFE: answers-after-close
            self.write_json({"score": attempt.score, "answers": attempt.answers, "questions": questions})
