#pragma once
// One service of the desired state: MakeDesiredState calls this for each
// enabled service.

#include "base/result.h"
#include "compose/model.h"
#include "planner/desired_state.h"

namespace baton::planner {

// The ServiceSpec of `service`, an enabled service of `project`, using the
// local `content` (its digests enter the spec hash; a build's digest tag T
// becomes service.image). Errors are those listed for MakeDesiredState, plus
// container_name on a service with more than one replica or in global mode.
Result<ServiceSpec> MakeServiceSpec(const compose::Project& project,
                                    const compose::Service& service,
                                    const ServiceContent& content = {});

}  // namespace baton::planner
