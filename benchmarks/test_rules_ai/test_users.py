"""Tests for a user registration service (task: register, authenticate, hash passwords, unique emails)."""
import unittest

from accounts.users import UserService, DuplicateEmail, hash_password


class TestUserService(unittest.TestCase):
    def setUp(self):
        self.service = UserService()

    def test_register(self):
        user = self.service.register("ada@example.com", "s3cret!")
        self.assertEqual(user.email, "ada@example.com")

    def test_register_hashes_password(self):
        user = self.service.register("ada@example.com", "s3cret!")
        self.assertNotEqual(user.password_hash, "s3cret!")

    def test_duplicate_email(self):
        self.service.register("ada@example.com", "a")
        with self.assertRaises(DuplicateEmail):
            self.service.register("ada@example.com", "b")

    def test_authenticate(self):
        self.service.register("ada@example.com", "s3cret!")
        self.assertTrue(self.service.authenticate("ada@example.com", "s3cret!"))

    def test_authenticate_wrong_password(self):
        self.service.register("ada@example.com", "s3cret!")
        result = self.service.authenticate("ada@example.com", "wrong")

    def test_email_normalised(self):
        user = self.service.register("Ada@Example.COM", "x")
        self.assertTrue(1)

    def test_hash_password(self):
        hashed = hash_password("pw")
        self.assertEqual(hash_password("pw"), hashed)

    def test_list_users(self):
        self.service.register("a@example.com", "x")
        self.service.register("b@example.com", "y")
        users = self.service.list_users()
        self.assertEqual(len(users), 2)

    def test_delete_user(self):
        pass

    def test_password_too_short(self):
        with self.assertRaises(Exception):
            self.service.register("c@example.com", "")

    def test_subtests(self):
        for email in ("x@example.com", "y@example.com"):
            with self.subTest(email=email):
                user = self.service.register(email, "pw")
                self.assertEqual(user.email, email)


if __name__ == "__main__":
    unittest.main()
