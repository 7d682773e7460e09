#pragma once
// How commands plug into the CLI: each command file has one Add*Command
// function that adds its subcommand to the app. When CLI11 selects that
// subcommand, its callback stores what to run in `run`; main() then calls it
// and exits with the code it returns.

#include <functional>

namespace CLI { class App; }

namespace baton::cli {

using Runner = std::function<int()>;

}  // namespace baton::cli
