#pragma once
// Stage 8, after normalisation and profiles: the cross-references and
// combinations a single key cannot check, as compose-go's checkConsistency
// and dependency graph do. Pure; reads only the project.

#include "base/result.h"
#include "compose/model.h"

namespace baton::compose {

// Checks the enabled services of `project` against each other and against
// the top-level resources:
// - networks, named volumes, secrets, build secrets and configs a service
//   uses are defined at top level (`default` only if declared or added by
//   normalisation);
// - depends_on and network_mode "service:x" name an enabled service (a
//   depends_on with required: false may name a disabled one);
// - depends_on has no cycle: "dependency cycle detected: a -> b -> a",
//   found as compose finds it (services and their dependencies in name order);
// - every service has an image or a build (or is a provider service); build
//   has not both dockerfile and dockerfile_inline; build.platforms includes
//   platform; additional contexts "service:x" name a buildable service;
// - network_mode and networks are not both set; healthcheck.test starts with
//   CMD, CMD-SHELL or NONE; scale and deploy.replicas agree and are not
//   negative; container_name is not combined with more than one replica; no
//   two mounts share a target;
// - a secret that is not external has a file or an environment variable.
// Every error is kInvalid and located with the marks normalisation kept
// ("compose.yaml:9:7: services.web.networks.back: service \"web\" refers to
// undefined network back"). When there are several, the one written first
// is returned: by compose file order (Project::compose_files), then line,
// then column.
Status Validate(const Project& project);

}  // namespace baton::compose
