"""Who may import rosters: a network's admins, into that network only."""

import rules

from bettertogether.directory.rules import is_network_admin_of

rules.add_perm("rostering.import_roster", is_network_admin_of)
