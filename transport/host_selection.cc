#include "transport/host_selection.h"

#include <set>

#include "transport/hosts_file.h"

namespace baton::transport {
namespace {

constexpr std::string_view kUnixScheme = "unix://";

HostConfig LocalHost(std::string socket) {
  HostConfig host;
  host.name = kLocalHostName;
  host.socket = std::move(socket);
  return host;
}

// Host names must be usable as labels; an IPv6 address is not, so its
// colons become dashes.
std::string NameFor(const SshAddress& address) {
  std::string name = address.host;
  for (char& c : name)
    if (!IsValidHostName(std::string_view(&c, 1))) c = '-';
  return name;
}

Result<HostInventory> FromAddresses(const std::vector<std::string>& addresses) {
  HostInventory inventory;
  inventory.origin = "-H";
  std::set<std::string> names;
  for (const std::string& text : addresses) {
    auto host = HostFromAddress(text);
    if (!host.ok()) return Error::Invalid("-H " + text, host.error().message);
    if (!names.insert(host->name).second)
      return Error::Invalid("-H " + text, "host \"" + host->name + "\" is given twice");
    inventory.hosts.push_back(std::move(*host));
  }
  return inventory;
}

Result<HostInventory> FromFile(const std::filesystem::path& file, FileSystem& fs) {
  auto parsed = LoadHostsFile(file, fs);
  if (!parsed.ok()) return parsed.error();
  return HostInventory{std::move(parsed->hosts), parsed->settings, file.string(), parsed->cluster};
}

Result<HostInventory> FromDockerHost(const std::string& docker_host) {
  HostInventory inventory;
  inventory.origin = "local engine";
  if (docker_host.empty()) {
    inventory.hosts.push_back(LocalHost(kDefaultDockerSocket));
    return inventory;
  }
  auto host = HostFromAddress(docker_host);
  if (!host.ok()) return Error::Invalid("$DOCKER_HOST", host.error().message);
  if (!host->is_local()) inventory.origin = "$DOCKER_HOST";
  inventory.hosts.push_back(std::move(*host));
  return inventory;
}

}  // namespace

Result<HostConfig> HostFromAddress(std::string_view text) {
  if (text.substr(0, kUnixScheme.size()) == kUnixScheme) {
    std::string socket(text.substr(kUnixScheme.size()));
    if (socket.empty() || socket.front() != '/')
      return Error::Invalid("",
                            "expected unix:///absolute/path, got \"" + std::string(text) + "\"");
    return LocalHost(std::move(socket));
  }
  auto address = ParseSshAddress(text);
  if (!address.ok()) {
    if (text.find("://") == std::string_view::npos) return address.error();
    std::string scheme(text.substr(0, text.find("://")));
    if (scheme != "ssh")
      return Error::Invalid("", "unsupported scheme \"" + scheme +
                                    "\" (expected ssh://[user@]host[:port] or unix:///path)");
    return address.error();
  }
  HostConfig host;
  host.name = NameFor(*address);
  host.ssh = *address;
  return host;
}

Result<HostInventory> SelectHosts(const HostSources& sources, FileSystem& fs) {
  if (!sources.addresses.empty() && !sources.hosts_file.empty())
    return Error::Invalid("", "--hosts and -H cannot be used together");
  if (!sources.addresses.empty()) return FromAddresses(sources.addresses);
  if (!sources.hosts_file.empty()) return FromFile(sources.hosts_file, fs);
  if (!sources.env_hosts_file.empty()) return FromFile(sources.env_hosts_file, fs);
  std::filesystem::path beside = sources.default_dir / kDefaultHostsFileName;
  if (sources.default_dir.empty()) beside = kDefaultHostsFileName;
  if (fs.IsFile(beside)) return FromFile(beside, fs);
  return FromDockerHost(sources.env_docker_host);
}

}  // namespace baton::transport
