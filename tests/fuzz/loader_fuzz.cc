// libFuzzer target over the whole compose loader: any bytes given as
// compose.yaml (and, after a "\n#--env--\n" line, as the project's .env)
// must load or fail with an Error, never crash, leak or hang.

#include <cstddef>
#include <cstdint>
#include <string>

#include "compose/load.h"
#include "tests/compose/memory_file_system.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string compose = input;
  std::string dotenv;
  const std::string separator = "\n#--env--\n";
  if (size_t at = input.find(separator); at != std::string::npos) {
    compose = input.substr(0, at);
    dotenv = input.substr(at + separator.size());
  }

  baton::compose::testing::MemoryFileSystem files;
  files.Add("/project/compose.yaml", compose);
  if (!dotenv.empty()) files.Add("/project/.env", dotenv);
  files.Add("/project/common.yaml", "services:\n  base:\n    image: busybox\n    ports: [\"80\"]\n");

  baton::compose::LoadOptions options;
  options.files = {"/project/compose.yaml"};
  options.working_dir = "/project";
  options.environment = {{"HOME", "/root"}, {"TAG", "1.0"}, {"EMPTY", ""}};
  auto project = baton::compose::Load(options, files);
  (void)project.ok();
  return 0;
}
