#pragma once
// What every deploy command (`plan`, `up`, `down`, `ps`, `start`, `logs`,
// `exec`, ...) starts from: the loaded compose project, its desired state,
// the hosts chosen for it and a pool connected to them.

#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "compose/model.h"
#include "planner/desired_state.h"
#include "runtime/content/project_content.h"
#include "runtime/host_pool.h"
#include "runtime/netd_container.h"
#include "runtime/state_store.h"
#include "transport/host_config.h"
#include "transport/host_selection.h"

namespace baton::cli {

struct DeployContext {
  bool loaded = true;  // false: known by name only (OpenDeployContextOrName)
  compose::Project project;
  planner::DesiredState desired;
  // The project's local content (build contexts, project files, configs,
  // secrets), read once: its digests are in `desired`, its errors and notes
  // go into plans, and apply reads its bytes (content::MakeContentSource).
  // Null when the project is known by name only. On the heap so that a
  // content source made from it survives moves of the context.
  std::unique_ptr<content::ProjectContent> content;
  transport::HostInventory inventory;
  runtime::HostPool pool;  // one handle per inventory host, unreachable ones with their error
  // The hosts file's `cluster:` settings (defaults without a hosts file).
  transport::ClusterSettings cluster;
  // netd's image and containers, once PrepareNetdDeployment made them.
  std::optional<runtime::NetdDeployment> netd;
  // The desired-state record (issue 6), once ReadDesiredRecord
  // (cli/record_context.h) read it under the deploy lock: `record` is
  // nullopt when the project has none. `desired` then holds the record's
  // replica counts where they win over the file's (a `baton scale` survives
  // `up`), and `file_desired` the state as the compose file alone asks for
  // it, which the next record's file counts come from.
  bool record_read = false;
  std::optional<runtime::StoredRecord> record;
  planner::DesiredState file_desired;
};

// Loads the project as `baton config` does, reads its local content
// (content::ReadProjectContent, with the variables the files were
// interpolated with), builds its desired state from both,
// selects the hosts (SelectHostsFromProcess, with baton.hosts.yaml looked
// for in the project directory) and opens the pool. Errors: the loader's,
// MakeDesiredState's, host selection's and --connect-timeout's. Missing
// local content is no error here: it is in content->errors. Unreachable
// hosts are not errors: they stay in the pool with their error.
Result<DeployContext> OpenDeployContext(const ProjectOptions& project, const HostOptions& hosts);

// The same for commands that also work on a project known only by name
// (`ps`, `down`, `unlock` run where there is no compose file): when -p (or
// $COMPOSE_PROJECT_NAME) names the project and no compose file is found, the
// result has `loaded` false, `project` and `desired` empty but for their
// names, and the hosts come from the flags, $BATON_HOSTS or the current
// directory. Otherwise it is OpenDeployContext's.
Result<DeployContext> OpenDeployContextOrName(const ProjectOptions& project,
                                              const HostOptions& hosts);

// Makes context.netd when the project has a network that spans hosts (and
// so needs netd): the baton-netd binary ($BATON_NETD, else beside baton),
// its image, and each host's container from the hosts file. Leaves it
// unset otherwise. Errors: the binary missing or unreadable, a host whose
// cluster address cannot be found (runtime::PrepareNetd).
Status PrepareNetdDeployment(DeployContext& context);

}  // namespace baton::cli
