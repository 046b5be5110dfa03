"""Who may read and import a network's frameworks, declared once.

A framework is public text, read by the network's admins and by the coaches and school
leaders of its schools (teachers tag nothing and see no coverage, so they are not asked
to). Only the network's admins import one. Importing this module registers the rules;
`services` and `selectors` import the permission names from here.
"""

import rules

from bettertogether.directory.models import Organisation
from bettertogether.directory.rules import is_network_admin_of
from bettertogether.directory.scope import scope_for

IMPORT_FRAMEWORKS = "goals.import_framework"
VIEW_FRAMEWORKS = "goals.view_frameworks"


@rules.predicate
def serves_in_network(actor, network) -> bool:
    """A coach or a school leader in one of the network's schools."""
    if network is None:
        return False
    scope = scope_for(actor)
    schools = scope.coach_school_ids | scope.leader_school_ids
    return bool(schools) and Organisation.objects.filter(
        pk__in=schools, network_id=network.pk).exists()


rules.add_perm(IMPORT_FRAMEWORKS, is_network_admin_of)
rules.add_perm(VIEW_FRAMEWORKS, is_network_admin_of | serves_in_network)
