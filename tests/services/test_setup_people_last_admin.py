"""People: add, edit, reset a password, deactivate; never lock out the last admin."""

import pytest

from server.db.tables import AuditLog, Membership, User
from server.domain.errors import RoundsError
from server.lib.passwords import verify_password
from server.services import accounts, setup_people


async def test_the_last_active_admin_cannot_be_deactivated_or_demoted(world, admin):
    with pytest.raises(RoundsError) as exc:
        await setup_people.set_active(admin.id, False, actor=admin)
    assert exc.value.code == "last_admin" and exc.value.status == 409
    with pytest.raises(RoundsError):
        await setup_people.update(admin.id, {"role": "manager", "display_name": "A"}, [world.site_a], actor=admin)
    second = await setup_people.create({"username": "admin2", "password": "long-enough-1", "role": "admin",
                                        "display_name": "Second"}, [world.site_a], actor=admin)
    await setup_people.set_active(admin.id, False, actor=admin)  # now another admin remains
    assert await accounts.load_user(admin.id) is None  # cannot log in; the row stays
    assert await User.exists().where(User.id == admin.id).run()
    other = await accounts.load_user(second)
    with pytest.raises(RoundsError):
        await setup_people.set_active(second, False, actor=other)


async def test_edit_memberships_language_and_password(world, admin):
    guard = world.users["guard"]
    await setup_people.update(guard, {"role": "team_lead", "display_name": "王班长", "department": "security",
                                      "language": "en"}, [], actor=admin)
    row = await User.select().where(User.id == guard).first().run()
    assert (row["role"], row["language"], row["department"]) == ("team_lead", "en", "security")
    assert not await Membership.exists().where(Membership.user == guard).run()
    await setup_people.reset_password(guard, "new-password-9", actor=admin)
    assert verify_password((await User.select(User.password_hash).where(User.id == guard).first().run())["password_hash"],
                           "new-password-9")
    with pytest.raises(RoundsError) as exc:
        await setup_people.reset_password(guard, "short", actor=admin)
    assert exc.value.detail["field"] == "password"
    with pytest.raises(RoundsError) as exc:  # an admin grants only their own sites
        await setup_people.update(guard, {"role": "guard"}, [world.site_b], actor=admin)
    assert exc.value.code == "site_forbidden"
    actions = {r["action"] for r in await AuditLog.select(AuditLog.action).run()}
    assert {"setup.user.update", "setup.user.reset_password"} <= actions


async def test_only_admins_manage_people(world):
    supervisor = await accounts.load_user(world.users["supervisor"])
    with pytest.raises(RoundsError) as exc:
        await setup_people.list_people(actor=supervisor)
    assert exc.value.code == "forbidden"
