#pragma once
// `baton hosts import-contexts`: turning the docker CLI's ssh:// contexts into
// hosts-file entries without ever losing what the hosts file already says.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "transport/docker_contexts.h"
#include "transport/host_config.h"

namespace baton::transport {

struct ImportPlan {
  std::vector<HostConfig> added;     // new hosts, in context-name order
  std::vector<std::string> skipped;  // "desktop: unix:///... is not an ssh:// endpoint"
};

// Pure. Takes every readable ssh:// context whose name (made a valid host
// name) and address are not already among `existing`.
ImportPlan PlanImport(const std::vector<DockerContext>& contexts,
                      const std::vector<HostConfig>& existing);

// Pure. Hosts-file list items for `hosts`, their dashes at column `indent`.
std::string RenderHostEntries(const std::vector<HostConfig>& hosts, int indent);

// Pure. `existing` (the text of `file`) with `hosts` added after the last
// item of its hosts list: at the end, or before the key that follows the
// list (and the comments that introduce that key). The old text is kept byte
// for byte, comments and all. The result is parsed again and must list
// exactly the old hosts followed by the new ones, with the same settings;
// when that cannot be arranged (a flow-style list, say) the error
// (kConflict) says why and nothing should be written. Errors in `existing`
// itself come back as is.
Result<std::string> AppendHostEntries(const std::filesystem::path& file, std::string_view existing,
                                      const std::vector<HostConfig>& hosts);

struct ImportOutcome {
  enum class Action { kNothingToAdd, kCreated, kAppended, kPrinted };
  Action action = Action::kNothingToAdd;
  ImportPlan plan;
  std::string printed;  // kPrinted: the entries to paste by hand
  std::string reason;   // kPrinted: why the file was left alone
};

// Reads the contexts under `docker_config_dir` and adds the new ssh:// ones to
// `hosts_file`: creates it when missing, appends when that is safe (written to
// a temporary file and renamed, keeping the file's mode), and otherwise leaves
// it untouched and returns the entries to add by hand. Fails (without
// writing) when the existing file does not parse or cannot be written.
Result<ImportOutcome> ImportDockerContexts(const std::filesystem::path& docker_config_dir,
                                           const std::filesystem::path& hosts_file);

}  // namespace baton::transport
