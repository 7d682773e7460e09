#pragma once
// The groups of checks Validate runs, one per file; each appends what it
// finds. Internal to validation.

#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "compose/node.h"
#include "compose/service_where.h"

namespace baton::compose::validate {

// One problem and where it was written, for ordering.
struct Finding {
  Mark mark;
  Error error;
};
using Findings = std::vector<Finding>;

// Appends a kInvalid finding at `mark` / `at`.
void Report(Findings& findings, const Mark& mark, const ModelPath& at, std::string message);

// validate_references.cc: names a service uses that must exist.
void CheckReferences(const Project& project, const Service& service, Findings& findings);
// validate_service.cc: combinations inside one service, and top-level secrets.
void CheckServiceSettings(const Service& service, Findings& findings);
void CheckSecretSources(const Project& project, Findings& findings);
// validate_cycles.cc: depends_on cycles.
void CheckDependencyCycles(const Project& project, Findings& findings);

}  // namespace baton::compose::validate
