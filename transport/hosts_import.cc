#include "transport/hosts_import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "base/file_system.h"
#include "transport/hosts_file.h"
#include "base/unique_fd.h"

namespace baton::transport {
namespace {

// Docker allows '+' in context names; host names do not.
std::string HostNameFor(const std::string& context_name) {
  std::string name = context_name;
  for (char& c : name)
    if (!IsValidHostName(std::string_view(&c, 1))) c = '-';
  return name;
}

std::vector<std::string> NamesOf(const std::vector<HostConfig>& hosts) {
  std::vector<std::string> names;
  for (const HostConfig& host : hosts) names.push_back(host.name);
  return names;
}

// Where new list items go, and how far their dashes are indented.
struct InsertionPoint {
  size_t offset = 0;
  int indent = 0;
};

bool IsBlankOrComment(std::string_view line) {
  size_t first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == '#';
}

// The start of the line holding `pos`, moved up over the blank and comment
// lines before it (they introduce what follows, not the hosts list).
size_t StartOfIntroducedLine(std::string_view text, size_t pos) {
  size_t start = pos == 0 ? 0 : text.rfind('\n', pos - 1) + 1;
  while (start > 0) {
    size_t previous = start == 1 ? 0 : text.rfind('\n', start - 2) + 1;
    if (!IsBlankOrComment(text.substr(previous, start - 1 - previous))) break;
    start = previous;
  }
  return start;
}

// New items follow the hosts list's last item: at the end of the file, or
// before the key that follows `hosts:`. Errors when the list is not a block
// list that items can simply be added to.
Result<InsertionPoint> FindInsertionPoint(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    YAML::Node hosts = root["hosts"];
    if (hosts.Style() == YAML::EmitterStyle::Flow)
      return Error::Conflict("", "its hosts list is written in flow style ([...])");
    InsertionPoint point{text.size(), hosts.Mark().column};
    bool after_hosts = false;
    for (const auto& entry : root) {
      if (after_hosts) {
        point.offset = StartOfIntroducedLine(text, static_cast<size_t>(entry.first.Mark().pos));
        break;
      }
      after_hosts = entry.first.Scalar() == "hosts";
    }
    return point;
  } catch (const YAML::Exception& e) {
    return Error::Internal("", e.msg);
  }
}

Status WriteFileAtomically(const std::filesystem::path& file, const std::string& text,
                           mode_t mode) {
  std::string temp = file.string() + ".baton-XXXXXX";
  UniqueFd fd(::mkstemp(temp.data()));
  auto fail = [&](const std::string& what) {
    Error error = Error::Invalid(file.string(), what + ": " + std::strerror(errno));
    ::unlink(temp.c_str());
    return error;
  };
  if (!fd)
    return Error::Invalid(file.string(), std::string("cannot write: ") + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) return fail("write");
  fd.Reset();
  if (::rename(temp.c_str(), file.c_str()) != 0) return fail("rename");
  return Status::Ok();
}

ImportOutcome Printed(ImportPlan plan, std::string reason) {
  ImportOutcome outcome;
  outcome.action = ImportOutcome::Action::kPrinted;
  outcome.printed = RenderHostEntries(plan.added, 2);
  outcome.plan = std::move(plan);
  outcome.reason = std::move(reason);
  return outcome;
}

}  // namespace

ImportPlan PlanImport(const std::vector<DockerContext>& contexts,
                      const std::vector<HostConfig>& existing) {
  ImportPlan plan;
  std::set<std::string> names, addresses;
  for (const HostConfig& host : existing) {
    names.insert(host.name);
    addresses.insert(host.address());
  }
  for (const DockerContext& context : contexts) {
    std::string label = context.name.empty() ? context.meta_file.string() : context.name;
    if (!context.problem.empty()) {
      plan.skipped.push_back(label + ": " + context.problem);
      continue;
    }
    auto address = ParseSshAddress(context.docker_host);
    if (!address.ok()) {
      plan.skipped.push_back(label + ": " + context.docker_host + " is not an ssh:// endpoint");
      continue;
    }
    HostConfig host;
    host.name = HostNameFor(context.name);
    host.ssh = *address;
    if (names.count(host.name) != 0 || addresses.count(host.address()) != 0) {
      plan.skipped.push_back(label + ": already in the hosts file");
      continue;
    }
    names.insert(host.name);
    addresses.insert(host.address());
    plan.added.push_back(std::move(host));
  }
  return plan;
}

std::string RenderHostEntries(const std::vector<HostConfig>& hosts, int indent) {
  std::string dash(static_cast<size_t>(indent), ' ');
  std::string body = dash + "  ";
  std::string text;
  for (const HostConfig& host : hosts) {
    text += dash + "- name: " + host.name + "\n";
    text += body + "address: \"" + host.address() + "\"\n";
  }
  return text;
}

Result<std::string> AppendHostEntries(const std::filesystem::path& file, std::string_view existing,
                                      const std::vector<HostConfig>& hosts) {
  auto before = ParseHostsFile(file, existing);
  if (!before.ok()) return before.error();
  auto point = FindInsertionPoint(existing);
  if (!point.ok()) return point.error();
  std::string text(existing);
  if (point->offset == text.size() && !text.empty() && text.back() != '\n') {
    text += '\n';
    point->offset = text.size();
  }
  text.insert(point->offset, RenderHostEntries(hosts, point->indent));
  auto after = ParseHostsFile(file, text);
  std::vector<std::string> expected = NamesOf(before->hosts);
  for (const std::string& name : NamesOf(hosts)) expected.push_back(name);
  if (!after.ok() || NamesOf(after->hosts) != expected ||
      after->settings.connect_timeout != before->settings.connect_timeout)
    return Error::Conflict("", "new entries would not read back as part of its hosts list");
  return text;
}

Result<ImportOutcome> ImportDockerContexts(const std::filesystem::path& docker_config_dir,
                                           const std::filesystem::path& hosts_file) {
  RealFileSystem fs;
  std::vector<HostConfig> existing;
  std::string old_text;
  bool exists = fs.IsFile(hosts_file);
  if (exists) {
    auto text = fs.Read(hosts_file);
    if (!text.ok()) return text.error();
    auto parsed = ParseHostsFile(hosts_file, *text);
    if (!parsed.ok()) return parsed.error();
    existing = parsed->hosts;
    old_text = std::move(*text);
  }
  ImportOutcome outcome;
  outcome.plan = PlanImport(ReadDockerContexts(docker_config_dir), existing);
  if (outcome.plan.added.empty()) return outcome;
  std::string new_text = "# Docker hosts for baton (see baton-hosts(1)).\nhosts:\n" +
                         RenderHostEntries(outcome.plan.added, 2);
  mode_t mode = 0644;
  if (exists) {
    auto appended = AppendHostEntries(hosts_file, old_text, outcome.plan.added);
    if (!appended.ok()) return Printed(std::move(outcome.plan), appended.error().message);
    new_text = std::move(*appended);
    struct stat st {};
    if (::stat(hosts_file.c_str(), &st) == 0) mode = st.st_mode & 07777;
  }
  // Write through a symlink rather than replacing it.
  std::error_code ec;
  std::filesystem::path target = exists ? std::filesystem::canonical(hosts_file, ec) : hosts_file;
  if (ec) target = hosts_file;
  if (auto s = WriteFileAtomically(target, new_text, mode); !s.ok()) return s.error();
  outcome.action = exists ? ImportOutcome::Action::kAppended : ImportOutcome::Action::kCreated;
  return outcome;
}

}  // namespace baton::transport
