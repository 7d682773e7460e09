#include "cli/config_command.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/exit_status.h"
#include "compose/load.h"
#include "compose/serialize.h"

namespace baton::cli {

namespace {

struct ConfigFlags {
  std::string format = "yaml";
  bool services = false;
  bool volumes = false;
  bool networks = false;
  bool profiles = false;
  bool images = false;
  bool quiet = false;
  bool no_interpolate = false;
  bool no_normalize = false;
  bool no_consistency = false;
  std::string output;  // "" = stdout
};

std::string Lines(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += item + "\n";
  return text;
}

template <typename Map>
std::vector<std::string> Keys(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& entry : map) keys.push_back(entry.first);
  return keys;
}

// Every profile any service names, whether or not it is enabled, sorted.
std::vector<std::string> AllProfiles(const compose::Project& project) {
  std::set<std::string> profiles;
  for (const auto* services : {&project.services, &project.disabled_services}) {
    for (const auto& [name, service] : *services) {
      profiles.insert(service.profiles.begin(), service.profiles.end());
    }
  }
  return {profiles.begin(), profiles.end()};
}

// A service without `image:` gets the name compose gives the image it
// builds: "<project>-<service>".
std::vector<std::string> Images(const compose::Project& project) {
  std::vector<std::string> images;
  for (const auto& [name, service] : project.services) {
    images.push_back(service.image.empty() ? project.name + "-" + name : service.image);
  }
  return images;
}

std::string ConfigText(const compose::Project& project, const ConfigFlags& flags) {
  if (flags.quiet) return "";
  if (flags.services) return Lines(Keys(project.services));
  if (flags.volumes) return Lines(Keys(project.volumes));
  if (flags.networks) return Lines(Keys(project.networks));
  if (flags.profiles) return Lines(AllProfiles(project));
  if (flags.images) return Lines(Images(project));
  compose::Node root = compose::ProjectToNode(project);
  return flags.format == "json" ? compose::ToJson(root) : compose::ToYaml(root);
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr)
    return Error::Invalid("", "cannot write " + path + ": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int write_errno = errno;
  if (std::fclose(file) != 0 || !written) {
    return Error::Invalid(
        "", "cannot write " + path + ": " + std::strerror(written ? errno : write_errno));
  }
  return Status::Ok();
}

Status WriteOutput(const std::string& text, const std::string& output) {
  if (!output.empty()) return text.empty() ? Status::Ok() : WriteFile(output, text);
  std::cout << text << std::flush;
  if (!std::cout) return Error::Invalid("", "cannot write to standard output");
  return Status::Ok();
}

int RunConfig(const ConfigFlags& flags, const ProjectOptions& project) {
  auto options = LoadOptionsFromProcess(project);
  if (!options.ok()) return Fail(options.error());
  options->interpolate = !flags.no_interpolate;
  options->normalize = !flags.no_normalize;
  options->check_consistency = !flags.no_consistency;
  RealFileSystem files;
  auto loaded = compose::Load(*options, files);
  if (!loaded.ok()) return Fail(loaded.error());
  if (auto written = WriteOutput(ConfigText(*loaded, flags), flags.output); !written.ok()) {
    return Fail(written.error());
  }
  return 0;
}

void AddConfigFlags(CLI::App& command, ConfigFlags& flags) {
  command.add_option("--format", flags.format, "Format the output: yaml (default) or json")
      ->check(CLI::IsMember({"yaml", "json"}));
  CLI::Option* lists[] = {
      command.add_flag("--services", flags.services, "Print the service names, one per line"),
      command.add_flag("--volumes", flags.volumes, "Print the volume names, one per line"),
      command.add_flag("--networks", flags.networks, "Print the network names, one per line"),
      command.add_flag("--profiles", flags.profiles, "Print the profile names, one per line"),
      command.add_flag("--images", flags.images, "Print the image names, one per line"),
  };
  for (CLI::Option* a : lists) {
    for (CLI::Option* b : lists) {
      if (a != b) a->excludes(b);
    }
  }
  command.add_flag("-q,--quiet", flags.quiet, "Only validate the configuration, print nothing");
  command.add_flag("--no-interpolate", flags.no_interpolate, "Do not interpolate variables");
  command.add_flag("--no-normalize", flags.no_normalize,
                   "Do not add defaults (default network, resource names)");
  command.add_flag("--no-consistency", flags.no_consistency,
                   "Do not check that referenced networks, volumes, secrets, configs and "
                   "services are defined");
  command.add_option("-o,--output", flags.output, "Write to FILE instead of standard output")
      ->type_name("FILE");
}

}  // namespace

void AddConfigCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project, Runner& run) {
  CLI::App* command = app.add_subcommand(
      "config", "Parse, resolve and print the compose project in canonical form");
  command->fallthrough();  // the project flags are also accepted after `config`
  auto flags = std::make_shared<ConfigFlags>();
  AddConfigFlags(*command, *flags);
  command->callback(
      [flags, project, &run] { run = [flags, project] { return RunConfig(*flags, *project); }; });
}

}  // namespace baton::cli
