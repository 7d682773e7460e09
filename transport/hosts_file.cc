#include "transport/hosts_file.h"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <utility>

#include "transport/duration.h"

namespace baton::transport {
namespace {

const std::initializer_list<std::string_view> kRootKeys = {"hosts", "settings", "cluster"};
const std::initializer_list<std::string_view> kHostKeys = {
    "name", "address", "identity_file", "known_hosts_file", "socket", "labels", "cluster_address"};
const std::initializer_list<std::string_view> kSettingsKeys = {"connect_timeout"};
const std::initializer_list<std::string_view> kClusterKeys = {"subnet", "slice_prefix", "overlay",
                                                              "dns_upstream", "sync_port"};
const std::initializer_list<std::string_view> kOverlays = {"auto", "routes", "vxlan"};

std::string KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

std::string JoinKeys(std::initializer_list<std::string_view> keys) {
  std::string text;
  for (std::string_view key : keys) text += (text.empty() ? "" : ", ") + std::string(key);
  return text;
}

bool Allowed(std::initializer_list<std::string_view> keys, const std::string& key) {
  for (std::string_view k : keys)
    if (k == key) return true;
  return false;
}

// A dotted quad, as inet_pton reads it (no octal, hex or short forms).
bool IsIpv4Address(const std::string& text) {
  in_addr address{};
  return inet_pton(AF_INET, text.c_str(), &address) == 1;
}

// "10.210.0.0/16": the address (host byte order) and the prefix length,
// host bits kept; nullopt unless a dotted quad and a prefix 0-32.
std::optional<std::pair<uint32_t, int>> ParseIpv4Cidr(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 2 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int prefix = std::stoi(digits);
  in_addr address{};
  if (prefix > 32 || inet_pton(AF_INET, text.substr(0, slash).c_str(), &address) != 1)
    return std::nullopt;
  return std::pair{ntohl(address.s_addr), prefix};
}

std::string FormatIpv4(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

// A whole number in [low, high]; nullopt for anything else.
std::optional<int> ParseWholeNumber(const std::string& text, int low, int high) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int value = std::stoi(text);
  if (value < low || value > high) return std::nullopt;
  return value;
}

// Reads one file; carries its name so every error can say where it is.
class HostsFileReader {
 public:
  explicit HostsFileReader(const std::filesystem::path& file)
      : file_(file.string()), dir_(file.parent_path()) {}

  Result<HostsFile> ReadRoot(const YAML::Node& root) const;

 private:
  // "FILE:LINE:COL: PATH". An empty value has no text of its own (yaml-cpp
  // marks it wherever parsing stood), so `fallback`, its key, is used instead.
  std::string Where(const YAML::Node& node, const std::string& path,
                    const YAML::Mark* fallback = nullptr) const {
    YAML::Mark mark = node.Mark();
    if ((mark.is_null() || node.IsNull()) && fallback != nullptr) mark = *fallback;
    std::string where = file_;
    if (!mark.is_null())
      where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    return path.empty() ? where : where + ": " + path;
  }
  Error Invalid(const YAML::Node& node, const std::string& path, std::string message,
                const YAML::Mark* fallback = nullptr) const {
    return Error::Invalid(Where(node, path, fallback), std::move(message));
  }

  Status CheckKeys(const YAML::Node& map, const std::string& path,
                   std::initializer_list<std::string_view> allowed) const;
  Result<std::string> ReadString(const YAML::Node& node, const std::string& path,
                                 const YAML::Mark& key_mark) const;
  Result<std::filesystem::path> ReadLocalPath(const YAML::Node& node, const std::string& path,
                                              const YAML::Mark& key_mark) const;
  Result<std::map<std::string, std::string>> ReadLabels(const YAML::Node& node,
                                                        const std::string& path) const;
  Status ReadHostField(const std::string& key, const YAML::Node& value, const YAML::Mark& key_mark,
                       const std::string& path, HostConfig& host) const;
  Result<HostConfig> ReadHost(const YAML::Node& node, size_t index) const;
  Result<std::vector<HostConfig>> ReadHosts(const YAML::Node& node) const;
  Result<HostsSettings> ReadSettings(const YAML::Node& node) const;
  Status ReadSubnet(const YAML::Node& value, const std::string& at, ClusterSettings& cluster) const;
  Result<std::vector<std::string>> ReadAddresses(const YAML::Node& node,
                                                 const std::string& path) const;
  Status ReadClusterField(const std::string& key, const YAML::Node& value,
                          const YAML::Mark& key_mark, ClusterSettings& cluster) const;
  Result<ClusterSettings> ReadCluster(const YAML::Node& node) const;

  std::string file_;
  std::filesystem::path dir_;
};

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

Status HostsFileReader::CheckKeys(const YAML::Node& map, const std::string& path,
                                  std::initializer_list<std::string_view> allowed) const {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar())
      return Invalid(entry.first, path, "keys must be strings, got " + KindName(entry.first));
    const std::string& key = entry.first.Scalar();
    if (!Allowed(allowed, key)) {
      return Invalid(entry.first, Child(path, key),
                     "unknown key (expected one of " + JoinKeys(allowed) + ")");
    }
    if (!seen.insert(key).second) return Invalid(entry.first, Child(path, key), "duplicate key");
  }
  return Status::Ok();
}

Result<std::string> HostsFileReader::ReadString(const YAML::Node& node, const std::string& path,
                                                const YAML::Mark& key_mark) const {
  if (!node.IsScalar())
    return Invalid(node, path, "expected a string, got " + KindName(node), &key_mark);
  if (node.Scalar().empty()) return Invalid(node, path, "must not be empty", &key_mark);
  return node.Scalar();
}

Result<std::filesystem::path> HostsFileReader::ReadLocalPath(const YAML::Node& node,
                                                             const std::string& path,
                                                             const YAML::Mark& key_mark) const {
  auto text = ReadString(node, path, key_mark);
  if (!text.ok()) return text.error();
  std::filesystem::path value(*text);
  if (value.is_absolute() || text->front() == '~') return value;
  return dir_ / value;
}

Result<std::map<std::string, std::string>> HostsFileReader::ReadLabels(
    const YAML::Node& node, const std::string& path) const {
  if (!node.IsMap()) return Invalid(node, path, "expected a mapping, got " + KindName(node));
  std::map<std::string, std::string> labels;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar() || entry.first.Scalar().empty())
      return Invalid(entry.first, path, "label names must be non-empty strings");
    const std::string& key = entry.first.Scalar();
    if (labels.count(key) != 0) return Invalid(entry.first, Child(path, key), "duplicate key");
    if (!entry.second.IsScalar() && !entry.second.IsNull()) {
      return Invalid(entry.second, Child(path, key),
                     "expected a string, got " + KindName(entry.second));
    }
    labels[key] = entry.second.IsScalar() ? entry.second.Scalar() : "";
  }
  return labels;
}

Status HostsFileReader::ReadHostField(const std::string& key, const YAML::Node& value,
                                      const YAML::Mark& key_mark, const std::string& path,
                                      HostConfig& host) const {
  std::string at = Child(path, key);
  if (key == "labels") {
    auto labels = ReadLabels(value, at);
    if (!labels.ok()) return labels.error();
    host.labels = std::move(*labels);
    return Status::Ok();
  }
  if (key == "identity_file" || key == "known_hosts_file") {
    auto file = ReadLocalPath(value, at, key_mark);
    if (!file.ok()) return file.error();
    (key == "identity_file" ? host.identity_file : host.known_hosts_file) = *file;
    return Status::Ok();
  }
  auto text = ReadString(value, at, key_mark);
  if (!text.ok()) return text.error();
  if (key == "name") {
    if (!IsValidHostLabel(*text)) {
      return Invalid(value, at,
                     "invalid host name \"" + *text +
                         "\" (letters, digits, '.', '_' and '-', starting with a "
                         "letter or digit)");
    }
    host.name = *text;
  } else if (key == "address") {
    auto address = ParseSshAddress(*text);
    if (!address.ok()) return Invalid(value, at, address.error().message);
    host.ssh = *address;
  } else if (key == "socket") {
    if (text->front() != '/')
      return Invalid(value, at, "socket path must be absolute, got \"" + *text + "\"");
    host.socket = *text;
  } else if (key == "cluster_address") {
    if (!IsIpv4Address(*text))
      return Invalid(value, at, "expected an IPv4 address, got \"" + *text + "\"");
    host.cluster_address = *text;
  }
  return Status::Ok();
}

Result<HostConfig> HostsFileReader::ReadHost(const YAML::Node& node, size_t index) const {
  std::string path = "hosts[" + std::to_string(index) + "]";
  if (!node.IsMap()) return Invalid(node, path, "expected a mapping, got " + KindName(node));
  if (auto s = CheckKeys(node, path, kHostKeys); !s.ok()) return s.error();
  HostConfig host;
  for (const auto& entry : node) {
    YAML::Mark key_mark = entry.first.Mark();
    if (auto s = ReadHostField(entry.first.Scalar(), entry.second, key_mark, path, host); !s.ok())
      return s.error();
  }
  if (host.name.empty()) return Invalid(node, path, "missing required key name");
  if (host.is_local()) return Invalid(node, path, "missing required key address");
  return host;
}

Result<std::vector<HostConfig>> HostsFileReader::ReadHosts(const YAML::Node& node) const {
  if (!node.IsSequence())
    return Invalid(node, "hosts", "expected a sequence, got " + KindName(node));
  if (node.size() == 0) return Invalid(node, "hosts", "no hosts listed");
  std::vector<HostConfig> hosts;
  std::map<std::string, int> first_line;  // host name -> line it was first defined on
  for (size_t i = 0; i < node.size(); ++i) {
    auto host = ReadHost(node[i], i);
    if (!host.ok()) return host.error();
    auto [it, fresh] = first_line.emplace(host->name, node[i].Mark().line + 1);
    if (!fresh) {
      return Invalid(node[i]["name"], "hosts[" + std::to_string(i) + "].name",
                     "duplicate host name \"" + host->name + "\" (first defined on line " +
                         std::to_string(it->second) + ")");
    }
    hosts.push_back(std::move(*host));
  }
  return hosts;
}

Result<HostsSettings> HostsFileReader::ReadSettings(const YAML::Node& node) const {
  HostsSettings settings;
  if (node.IsNull()) return settings;
  if (!node.IsMap()) return Invalid(node, "settings", "expected a mapping, got " + KindName(node));
  if (auto s = CheckKeys(node, "settings", kSettingsKeys); !s.ok()) return s.error();
  for (const auto& entry : node) {
    std::string at = "settings." + entry.first.Scalar();
    auto text = ReadString(entry.second, at, entry.first.Mark());
    if (!text.ok()) return text.error();
    auto timeout = ParseDuration(*text);
    if (!timeout.ok()) return Invalid(entry.second, at, timeout.error().message);
    settings.connect_timeout = *timeout;
  }
  return settings;
}

Status HostsFileReader::ReadSubnet(const YAML::Node& value, const std::string& at,
                                   ClusterSettings& cluster) const {
  const std::string& text = value.Scalar();
  std::optional<std::pair<uint32_t, int>> cidr = ParseIpv4Cidr(text);
  if (!cidr)
    return Invalid(value, at, "expected an IPv4 network like 10.210.0.0/16, got \"" + text + "\"");
  auto [address, prefix] = *cidr;
  uint32_t host_bits = prefix == 0 ? ~uint32_t{0} : (uint32_t{1} << (32 - prefix)) - 1;
  if ((address & host_bits) != 0) {
    return Invalid(value, at,
                   "\"" + text + "\" has host bits set (meant " + FormatIpv4(address & ~host_bits) +
                       "/" + std::to_string(prefix) + "?)");
  }
  cluster.subnet = text;
  return Status::Ok();
}

Result<std::vector<std::string>> HostsFileReader::ReadAddresses(const YAML::Node& node,
                                                                const std::string& path) const {
  if (!node.IsSequence()) return Invalid(node, path, "expected a sequence, got " + KindName(node));
  std::vector<std::string> addresses;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string at = path + "[" + std::to_string(i) + "]";
    if (!node[i].IsScalar() || !IsIpv4Address(node[i].Scalar())) {
      std::string got = node[i].IsScalar() ? "\"" + node[i].Scalar() + "\"" : KindName(node[i]);
      return Invalid(node[i], at, "expected an IPv4 address, got " + got);
    }
    addresses.push_back(node[i].Scalar());
  }
  return addresses;
}

Status HostsFileReader::ReadClusterField(const std::string& key, const YAML::Node& value,
                                         const YAML::Mark& key_mark,
                                         ClusterSettings& cluster) const {
  std::string at = "cluster." + key;
  if (key == "dns_upstream") {
    auto addresses = ReadAddresses(value, at);
    if (!addresses.ok()) return addresses.error();
    cluster.dns_upstream = std::move(*addresses);
    return Status::Ok();
  }
  auto text = ReadString(value, at, key_mark);
  if (!text.ok()) return text.error();
  if (key == "subnet") return ReadSubnet(value, at, cluster);
  if (key == "overlay") {
    if (!Allowed(kOverlays, *text))
      return Invalid(value, at,
                     "expected one of " + JoinKeys(kOverlays) + ", got \"" + *text + "\"");
    cluster.overlay = *text;
  } else if (key == "slice_prefix") {
    std::optional<int> prefix = ParseWholeNumber(*text, 0, 32);
    if (!prefix) return Invalid(value, at, "expected a prefix length 0-32, got \"" + *text + "\"");
    cluster.slice_prefix = *prefix;
  } else if (key == "sync_port") {
    std::optional<int> port = ParseWholeNumber(*text, 1, 65535);
    if (!port) return Invalid(value, at, "expected a port 1-65535, got \"" + *text + "\"");
    cluster.sync_port = static_cast<uint16_t>(*port);
  }
  return Status::Ok();
}

// The slice prefix is checked against the subnet once both are read, so the
// order of the keys does not matter.
Result<ClusterSettings> HostsFileReader::ReadCluster(const YAML::Node& node) const {
  ClusterSettings cluster;
  if (node.IsNull()) return cluster;
  if (!node.IsMap()) return Invalid(node, "cluster", "expected a mapping, got " + KindName(node));
  if (auto s = CheckKeys(node, "cluster", kClusterKeys); !s.ok()) return s.error();
  for (const auto& entry : node) {
    Status read = ReadClusterField(entry.first.Scalar(), entry.second, entry.first.Mark(), cluster);
    if (!read.ok()) return read.error();
  }
  int space_prefix = ParseIpv4Cidr(cluster.subnet)->second;
  if (cluster.slice_prefix < space_prefix || cluster.slice_prefix > 30) {
    YAML::Node at = node["slice_prefix"] ? node["slice_prefix"] : node;
    return Invalid(at, "cluster.slice_prefix",
                   "slice prefix " + std::to_string(cluster.slice_prefix) + " must be between " +
                       std::to_string(space_prefix) + " (the prefix of cluster.subnet) and 30");
  }
  return cluster;
}

Result<HostsFile> HostsFileReader::ReadRoot(const YAML::Node& root) const {
  if (root.IsNull() || !root.IsDefined())
    return Error::Invalid(file_, "empty hosts file (expected a mapping with a hosts list)");
  if (!root.IsMap())
    return Invalid(root, "", "expected a mapping with a hosts list, got " + KindName(root));
  if (auto s = CheckKeys(root, "", kRootKeys); !s.ok()) return s.error();
  if (!root["hosts"]) return Invalid(root, "", "missing required key hosts");
  HostsFile parsed;
  auto hosts = ReadHosts(root["hosts"]);
  if (!hosts.ok()) return hosts.error();
  parsed.hosts = std::move(*hosts);
  if (root["settings"]) {
    auto settings = ReadSettings(root["settings"]);
    if (!settings.ok()) return settings.error();
    parsed.settings = *settings;
  }
  if (root["cluster"]) {
    auto cluster = ReadCluster(root["cluster"]);
    if (!cluster.ok()) return cluster.error();
    parsed.cluster = std::move(*cluster);
  }
  return parsed;
}

}  // namespace

bool IsValidHostLabel(std::string_view name) {
  if (name.empty()) return false;
  char first = name.front();
  if (first == '.' || first == '-' || first == '_') return false;
  return IsValidHostName(name);
}

Result<HostsFile> ParseHostsFile(const std::filesystem::path& file, std::string_view text) {
  HostsFileReader reader(file);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return reader.ReadRoot(root);
  } catch (const YAML::Exception& e) {
    std::string where = file.string();
    if (!e.mark.is_null())
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Error::Invalid(where, e.msg);
  }
}

Result<HostsFile> LoadHostsFile(const std::filesystem::path& file, FileSystem& fs) {
  auto text = fs.Read(file);
  if (!text.ok()) return text.error();
  return ParseHostsFile(file, *text);
}

}  // namespace baton::transport
