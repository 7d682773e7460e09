#pragma once
// Profiles: which services of a loaded project are active. A service is
// enabled when it lists no profiles, or one of the active ones ("*" enables
// every service). Every service an enabled service needs is enabled too,
// transitively: its depends_on entries (except those marked required: false,
// which compose leaves out), links, volumes_from services, and the services
// named by network_mode/ipc/pid "service:<name>". Compose itself refuses a
// project whose enabled services need a disabled one; enabling it instead
// loads every project compose loads the same way.

#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace baton::compose {

// Moves the services that are not enabled from project.services to
// project.disabled_services. The loader runs it before ResolveEnvironment
// (normalise.h), so the env and label files of disabled services are never
// read; a service enabled by applying profiles again afterwards keeps its
// environment unresolved. Profile names that no service uses are not an
// error, as in compose. Dependencies on services the project does not define
// are left for validation to report. Never fails today; returns Status so
// that a future rule (e.g. refusing a disabled required dependency) can.
Status ApplyProfiles(Project& project, const std::vector<std::string>& profiles);

}  // namespace baton::compose
