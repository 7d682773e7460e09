#pragma once
// Shared by the desired-state tests: a compose file loaded from memory the
// way `baton` loads it, then turned into a DesiredState.

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "compose/load.h"
#include "planner/desired_state.h"
#include "tests/compose/loader_fixture.h"
#include "tests/compose/memory_file_system.h"

namespace baton::planner::testing {

using Strings = std::vector<std::string>;

// /p/compose.yaml holding `yaml`, loaded for a command run in /p, so marks
// read "compose.yaml:line:col". `options` may turn profiles or checks.
inline compose::Project LoadCompose(const std::string& yaml,
                                    compose::LoadOptions options = compose::testing::In("/p")) {
  compose::testing::MemoryFileSystem files;
  files.Add("/p/compose.yaml", yaml);
  auto project = compose::Load(options, files);
  if (!project.ok()) FAIL("load: " << project.error().ToString());
  return std::move(*project);
}

inline DesiredState Desired(const std::string& yaml) {
  auto desired = MakeDesiredState(LoadCompose(yaml));
  if (!desired.ok()) FAIL("desired: " << desired.error().ToString());
  return std::move(*desired);
}

// The error text of MakeDesiredState; "made" when it succeeds.
inline std::string DesiredError(const compose::Project& project) {
  auto desired = MakeDesiredState(project);
  return desired.ok() ? "made" : desired.error().ToString();
}
inline std::string DesiredError(const std::string& yaml) { return DesiredError(LoadCompose(yaml)); }

// The spec of `name`, which must exist.
inline const ServiceSpec& Spec(const DesiredState& desired, const std::string& name) {
  const ServiceSpec* spec = desired.FindService(name);
  if (!spec) FAIL("no service " << name);
  return *spec;
}

}  // namespace baton::planner::testing
