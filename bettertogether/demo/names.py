"""Names for generated demo people and schools.

A built-in list keeps the district dataset deterministic and free of extra dependencies.
The names are common given names and surnames from many backgrounds, as in a real
US district's staff list.
"""

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abigail", "Adebayo", "Adriana", "Ahmed", "Aiko", "Aisha", "Alejandro",
    "Alexis", "Amara", "Amir", "Ana", "Andre", "Andrea", "Angela", "Anjali", "Anthony",
    "Arjun", "Ashley", "Ayesha", "Benjamin", "Bianca", "Brandon", "Brianna", "Caleb",
    "Camila", "Carlos", "Carmen", "Chen", "Chloe", "Christopher", "Claire", "Daniel",
    "Darius", "David", "Deepa", "Destiny", "Diana", "Diego", "Dmitri", "Ebony", "Eduardo",
    "Elena", "Elijah", "Elizabeth", "Emily", "Emmanuel", "Erin", "Esperanza", "Ethan",
    "Fatima", "Felipe", "Gabriel", "Grace", "Guadalupe", "Hannah", "Hassan", "Hiroshi",
    "Ibrahim", "Imani", "Isabel", "Isaiah", "Jacob", "Jamal", "James", "Jasmine", "Javier",
    "Jennifer", "Jessica", "Jin", "Joanna", "Jonathan", "Jordan", "Jose", "Joseph", "Juan",
    "Julia", "Kareem", "Katherine", "Kayla", "Kenji", "Keisha", "Kevin", "Kwame", "Laila",
    "Latoya", "Laura", "Leila", "Liam", "Lin", "Lucas", "Lucia", "Luis", "Madison",
    "Malik", "Mariana", "Marcus", "Maria", "Matthew", "Maya", "Mei", "Melissa", "Michael",
    "Miguel", "Min-jun", "Mohammed", "Monique", "Nadia", "Naomi", "Natalie", "Nathan",
    "Nia", "Nicole", "Noah", "Nora", "Olivia", "Omar", "Pablo", "Patricia", "Priya",
    "Rachel", "Rafael", "Rahul", "Rebecca", "Ricardo", "Rosa", "Ryan", "Samantha",
    "Samuel", "Sara", "Sean", "Sergio", "Shanice", "Sofia", "Sophia", "Stephanie", "Sunil",
    "Tamika", "Tariq", "Thanh", "Thomas", "Tiffany", "Trevor", "Valentina", "Vanessa",
    "Victor", "Vikram", "Wei", "William", "Xavier", "Yasmin", "Yuki", "Yusuf", "Zainab",
    "Zoe",
)

LAST_NAMES = (
    "Abdullah", "Acosta", "Adams", "Adeyemi", "Aguilar", "Ahmed", "Alexander", "Ali",
    "Allen", "Alvarez", "Anderson", "Bailey", "Baker", "Banerjee", "Bell", "Bennett",
    "Brooks", "Brown", "Bui", "Campbell", "Carter", "Castillo", "Chang", "Chavez", "Chen",
    "Choi", "Clark", "Coleman", "Collins", "Cook", "Cooper", "Cruz", "Das", "Davis", "Diaz",
    "Dubois", "Edwards", "Evans", "Fernandez", "Fisher", "Flores", "Foster", "Garcia",
    "Gomez", "Gonzalez", "Gordon", "Gray", "Green", "Gupta", "Gutierrez", "Hall", "Hamilton",
    "Harris", "Hayes", "Henderson", "Hernandez", "Hill", "Hoang", "Howard", "Hughes",
    "Hussain", "Ibrahim", "Iyer", "Jackson", "James", "Jenkins", "Johnson", "Jones", "Kang",
    "Kaur", "Kelly", "Khan", "Kim", "King", "Kowalski", "Kumar", "Le", "Lee", "Lewis",
    "Lin", "Liu", "Lopez", "Martin", "Martinez", "Mehta", "Mendoza", "Miller", "Mitchell",
    "Moore", "Morales", "Morgan", "Murphy", "Myers", "Nakamura", "Nguyen", "Novak",
    "Nwosu", "Okafor", "Okonkwo", "Ortiz", "Owens", "Park", "Patel", "Perez", "Perry",
    "Peterson", "Pham", "Phillips", "Price", "Ramirez", "Ramos", "Reddy", "Reed", "Reyes",
    "Richardson", "Rivera", "Roberts", "Robinson", "Rodriguez", "Rogers", "Romero", "Ross",
    "Russell", "Sanchez", "Sanders", "Santos", "Schmidt", "Scott", "Shah", "Silva",
    "Singh", "Smith", "Sullivan", "Tanaka", "Taylor", "Thomas", "Thompson", "Torres",
    "Tran", "Turner", "Vargas", "Vasquez", "Walker", "Wang", "Ward", "Washington",
    "Watson", "White", "Williams", "Wilson", "Wong", "Wright", "Wu", "Yamamoto", "Yang",
    "Young", "Zhang",
)

# Stems for generated school names ("Maple Grove Elementary School").
SCHOOL_STEMS = (
    "Addams", "Anthony", "Aspen Ridge", "Banneker", "Bayview", "Birchwood", "Brookside",
    "Carver", "Cedar Park", "Chavez", "Clearwater", "Cypress", "Douglass", "Eastgate",
    "Edison", "Elm Street", "Emerson", "Fairview", "Franklin", "Garfield", "Glenwood",
    "Grant", "Greenfield", "Hamilton", "Harbor View", "Hawthorne", "Highland", "Hillcrest",
    "Hughes", "Irving", "Jackson", "Kennedy", "King", "Lakeside", "Lakeview", "Lincoln Park",
    "Longfellow", "Madison", "Mann", "Maple Grove", "Marshall", "McKinley", "Meadowbrook",
    "Mill Creek", "Monroe", "Northgate", "Oak Hill", "Oakwood", "Orchard", "Parks",
    "Pine Ridge", "Prairie View", "Quincy", "Redwood", "Ridgeview", "River Bend",
    "Riverside", "Roosevelt", "Sandburg", "Sequoia", "Sherman", "Silver Lake", "Southgate",
    "Stevenson", "Sunnyside", "Sycamore", "Taft", "Thoreau", "Truman", "Tubman", "Twain",
    "Union", "Valley View", "Walnut Hill", "Washington", "Webster", "Westwood", "Whitman",
    "Willow Creek", "Wilson", "Woodland", "Wright",
)

# What teachers write in the "interests" box of their profile.
INTERESTS = (
    "Runs the robotics club.",
    "Coaches the debate team and wants to build more student talk into lessons.",
    "Leads the school garden club.",
    "Interested in small-group reading instruction.",
    "Curious about project-based learning.",
    "Runs the after-school chess club.",
    "Mentors student teachers.",
    "Wants to get better at checking for understanding.",
    "Coaches girls' soccer.",
    "Advises the student council.",
    "Organises the science fair.",
    "Learning to use data to plan small groups.",
    "Runs the coding club.",
    "Directs the spring musical.",
    "Interested in restorative practices.",
    "Wants to use more formative assessment.",
    "Leads the book club for staff.",
    "Runs the yearbook.",
    "Exploring co-teaching with the special education team.",
    "",
)
