"""The people of the small demo: a US district of three schools and an English trust.

Written by hand so that whoever explores the demo meets the same, believable colleagues
every time. `key` names a person within this module; emails follow `first.last@…` unless
the person is one of the documented sign-ins (`coach@riverside.example` and so on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    schools: tuple[str, ...]  # school keys; empty for network roles
    role: str  # a `Role` value
    grades: tuple[str, ...] = ()  # grade codes
    subjects: tuple[str, ...] = ()
    years: int | None = None
    interests: str = ""
    email: str = ""  # the documented sign-in, if this person is one


RIVERSIDE_SCHOOLS = {
    "lincoln": "Lincoln Elementary School",
    "roosevelt": "Roosevelt Middle School",
    "jefferson": "Jefferson High School",
}

ELA, MATH, SCI, SOC = "English Language Arts", "Mathematics", "Science", "Social Studies"
K5 = ("K", "1", "2", "3", "4", "5")
MS = ("6", "7", "8")
HS = ("9", "10", "11", "12")

_T = "teacher"

RIVERSIDE = (
    Member("admin", "Sam Patel", (), "network_admin", years=19, email="admin@riverside.example",
           interests="District admin for Better Together; taught high-school chemistry."),
    Member("facilitator", "Elena Vasquez", (), "facilitator", years=14,
           email="facilitator@riverside.example",
           interests="Runs the new-teacher induction programme."),
    Member("coach", "Jordan Reyes", ("lincoln", "roosevelt"), "coach", years=16,
           email="coach@riverside.example", subjects=(ELA,),
           interests="Instructional coach; former middle-school ELA teacher."),
    Member("techcoach", "Priya Natarajan", ("lincoln", "roosevelt", "jefferson"), "coach",
           years=11, subjects=("Computer Science",),
           interests="Technology coach: helps teachers use devices for learning, not busywork."),
    Member("mathcoach", "Marcus Bell", ("lincoln",), "coach", years=13, grades=K5,
           subjects=(MATH,), interests="K-5 math coach; loves number talks."),
    Member("principal", "Angela Okafor", ("lincoln",), "school_leader", years=22,
           email="principal@riverside.example"),
    Member("principal_ms", "Thomas Nguyen", ("roosevelt",), "school_leader", years=18),
    Member("principal_hs", "Rebecca Hartley", ("jefferson",), "school_leader", years=25),
    # Lincoln Elementary
    Member("teacher", "Maya Thompson", ("lincoln",), _T, ("2",), (ELA, MATH), 6,
           "Leads the school garden club; working on small-group reading instruction.",
           email="teacher@riverside.example"),
    Member("t02", "Carlos Mendoza", ("lincoln",), _T, ("K",), (ELA, MATH), 12,
           "Bilingual story time on Fridays; learning about play-based math."),
    Member("t03", "Aisha Rahman", ("lincoln",), _T, ("1",), (ELA, MATH), 3,
           "New to guided reading; collects picture books."),
    Member("t04", "Grace Kim", ("lincoln",), _T, ("3",), (MATH, SCI), 9,
           "Runs the after-school chess club."),
    Member("t05", "Daniel O'Brien", ("lincoln",), _T, ("4",), (ELA, SOC), 15,
           "Coaches the Battle of the Books team."),
    Member("t06", "Fatima Haddad", ("lincoln",), _T, ("5",), (MATH, SCI), 7,
           "Runs the robotics club; curious about project-based learning."),
    Member("t07", "Jamal Washington", ("lincoln",), _T, ("5",), (ELA, SOC), 2,
           "Started a student podcast."),
    Member("t08", "Lucía Hernández", ("lincoln",), _T, ("K",), (ELA,), 20,
           "Mentors student teachers."),
    Member("t09", "Hannah Schmidt", ("lincoln",), _T, ("1",), (MATH,), 4,
           "Wants to get better at checking for understanding."),
    Member("t10", "Tuan Pham", ("lincoln",), _T, ("3",), (ELA,), 11,
           "Writing workshop enthusiast."),
    Member("t11", "Rosa Delgado", ("lincoln",), _T, K5, ("English Language Development",), 8,
           "Supports newcomer families."),
    Member("t12", "Keisha Brooks", ("lincoln",), _T, K5, ("Special Education",), 14,
           "Exploring co-teaching with general-education colleagues."),
    Member("t13", "Ethan Clarke", ("lincoln",), _T, K5, ("Music",), 5,
           "Directs the spring musical."),
    Member("t14", "Mei Chen", ("lincoln",), _T, K5, ("Physical Education",), 10,
           "Organises field day."),
    # Roosevelt Middle
    Member("t15", "Samuel Adeyemi", ("roosevelt",), _T, ("7",), (MATH,), 8,
           "Runs the math league team."),
    Member("t16", "Olivia Martin", ("roosevelt",), _T, ("6",), (ELA,), 3,
           "Wants to try a writing workshop model."),
    Member("t17", "Ravi Iyer", ("roosevelt",), _T, ("8",), (SCI,), 13,
           "Runs the robotics club and the science fair."),
    Member("t18", "Isabella Rossi", ("roosevelt",), _T, ("7",), ("Spanish",), 6,
           "Plans the Day of the Dead celebration."),
    Member("t19", "Noah Goldberg", ("roosevelt",), _T, ("8",), (SOC,), 17,
           "Model UN adviser."),
    Member("t20", "Yasmin Farouk", ("roosevelt",), _T, ("6",), (SCI,), 1,
           "First-year teacher; interested in lab safety routines."),
    Member("t21", "Jacob Whitehorse", ("roosevelt",), _T, MS, ("Physical Education",), 9,
           "Coaches cross-country."),
    Member("t22", "Ana Sofía Castillo", ("roosevelt",), _T, ("7", "8"), (ELA,), 5,
           "Yearbook adviser."),
    Member("t23", "Kevin Tran", ("roosevelt",), _T, MS, ("Computer Science",), 4,
           "Runs the coding club."),
    Member("t24", "Brianna Jackson", ("roosevelt",), _T, MS, ("Special Education",), 11,
           "Interested in restorative practices."),
    Member("t25", "Liam Murphy", ("roosevelt",), _T, ("6",), (MATH,), 2,
           "Learning to use exit tickets to plan small groups."),
    Member("t26", "Zainab Bello", ("roosevelt",), _T, MS, ("Visual Arts",), 7,
           "Paints murals with students."),
    Member("t27", "Hiroshi Tanaka", ("roosevelt",), _T, ("8",), (MATH,), 22,
           "Math department chair."),
    # Jefferson High
    Member("t28", "Elizabeth Carter", ("jefferson",), _T, ("11", "12"), (ELA,), 18,
           "Teaches AP Literature; debate coach."),
    Member("t29", "Andre Coleman", ("jefferson",), _T, ("9", "10"), (MATH,), 6,
           "Coaches varsity basketball."),
    Member("t30", "Sophia Papadopoulos", ("jefferson",), _T, ("10", "11", "12"), (SCI,), 9,
           "Chemistry teacher; wants more student-designed labs."),
    Member("t31", "Diego Ramírez", ("jefferson",), _T, HS, ("Spanish",), 12,
           "Leads the exchange trip to Oaxaca."),
    Member("t32", "Emily Nakamura", ("jefferson",), _T, ("9",), (ELA,), 3,
           "Runs the creative writing club."),
    Member("t33", "Omar Siddiqui", ("jefferson",), _T, ("11", "12"), ("Computer Science",), 7,
           "Runs the robotics competition team."),
    Member("t34", "Chloé Dubois", ("jefferson",), _T, HS, ("Music",), 10,
           "Jazz band director."),
    Member("t35", "Malik Henderson", ("jefferson",), _T, ("10", "11"), (SOC,), 5,
           "Mock trial coach."),
    Member("t36", "Priyanka Shah", ("jefferson",), _T, ("11", "12"), (MATH,), 14,
           "Teaches AP Calculus."),
    Member("t37", "Nathan Cohen", ("jefferson",), _T, HS, ("Career and Technical Education",),
           20, "Runs the woodshop and the maker space."),
    Member("t38", "Valentina Cruz", ("jefferson",), _T, ("9", "10"), (SCI,), 2,
           "Biology teacher; interested in formative assessment."),
    Member("t39", "Ben Whitaker", ("jefferson",), _T, HS, ("Physical Education",), 16,
           "Head football coach."),
    Member("t40", "Amara Nwosu", ("jefferson",), _T, HS, ("Special Education",), 6,
           "Transition planning for seniors."),
)

# Caseloads by school-year name: coach key → teacher keys.
RIVERSIDE_CASELOADS = {
    "2026–27": {
        "coach": ("teacher", "t02", "t03", "t07", "t09", "t10", "t11",
                  "t16", "t18", "t20", "t22", "t25"),
        "techcoach": ("t04", "t06", "t13", "t17", "t20", "t23", "t28", "t30", "t32",
                      "t33", "t36", "t38", "t40"),
        "mathcoach": ("teacher", "t02", "t03", "t04", "t05", "t06", "t08", "t09", "t10",
                      "t12"),
    },
    "2025–26": {
        "coach": ("teacher", "t03", "t05", "t08", "t16", "t19", "t21", "t27"),
        "techcoach": ("t17", "t23", "t29", "t31", "t33", "t35", "t37"),
        "mathcoach": ("t02", "t04", "t09", "t13"),
    },
}

# Invitations the district admin has sent and nobody has answered yet.
RIVERSIDE_INVITATIONS = (
    ("Gabriel Santos", "jefferson", "teacher"),
    ("Nora Lindqvist", "roosevelt", "coach"),
    ("Victor Alvarez", "lincoln", "teacher"),
)

NORTHFIELD_SCHOOLS = {"park": "Northfield Park Academy"}

NORTHFIELD = (
    Member("admin", "Fiona MacLeod", (), "network_admin", years=21,
           email="admin@northfield.example", interests="Trust lead for professional learning."),
    Member("headteacher", "Helen Ashworth", ("park",), "school_leader", years=24,
           email="headteacher@northfield.example"),
    Member("coach", "Owen Pritchard", ("park",), "coach", years=12, subjects=("Maths",),
           email="coach@northfield.example", interests="Maths mastery lead and coach."),
    Member("teacher", "Harriet Lowe", ("park",), _T, ("Y3",), ("English", "Maths"), 5,
           "Runs the school choir.", email="teacher@northfield.example"),
    Member("n02", "Callum Reid", ("park",), _T, ("Y9", "Y10"), ("Maths",), 8,
           "Wants to use more retrieval practice."),
    Member("n03", "Amelia Hughes", ("park",), _T, ("Y5",), ("English", "Maths", "Science"), 3,
           "Forest school lead."),
    Member("n04", "Kwame Mensah", ("park",), _T, ("Y10", "Y11"), ("Science",), 10,
           "Runs the STEM club."),
    Member("n05", "Siobhan Gallagher", ("park",), _T, ("Y12", "Y13"), ("English",), 15,
           "Sixth-form English; Extended Project supervisor."),
)

NORTHFIELD_CASELOADS = {
    "2026–27": {"coach": ("teacher", "n02", "n03", "n04")},
    "2025–26": {"coach": ("n02", "n05")},
}

NORTHFIELD_INVITATIONS = (("Imogen Clarke", "park", "teacher"),)

NORTHFIELD_ADMIN_EMAIL = "admin@northfield.example"
# Riverside's programme facilitator, who also facilitates in Northfield (she accepted its
# invitation): one person, two networks, her account managed by Riverside.
SHARED_PERSON = ("facilitator@riverside.example", "facilitator")
# Riverside's coach, whom Northfield has asked to coach at Northfield Park Academy too:
# the invitation waits for an answer on the coach's home page.
ASKED_PERSON = ("coach@riverside.example", "coach")

# The sign-ins `manage.py demo_signins` lists, in this order: (email, what to try).
SIGNINS = (
    ("admin@riverside.example", "District admin: schools, people, caseloads, invitations"),
    ("principal@riverside.example", "Principal of Lincoln Elementary"),
    ("coach@riverside.example", "Instructional coach at two schools, asked to join Northfield"),
    ("teacher@riverside.example", "Teacher with two coaches"),
    ("facilitator@riverside.example", "Programme facilitator, in Northfield too"),
    ("admin@northfield.example", "Trust admin (en-GB terminology)"),
    ("headteacher@northfield.example", "Headteacher (en-GB terminology)"),
    ("coach@northfield.example", "Coach in the trust"),
    ("teacher@northfield.example", "Teacher in the trust"),
    ("support@riverside.example", "Support staff: the admin site at /support/"),
)
