// Calling a CLI command in process by name, and checking its messages.
#pragma once

#include <QtTest>

#include <sstream>
#include <string>
#include <vector>

#include "cli_commands.hpp"

struct CommandOutcome {
    int status;
    std::string out, err;
};

inline CommandOutcome run_command(const std::string& name, std::vector<std::string> args) {
    for (const auto& c : convscope::cli::commands())
        if (name == c.name) {
            std::ostringstream out, err;
            const int status = c.run(args, out, err);
            return {status, out.str(), err.str()};
        }
    qFatal("no command %s", name.c_str());
}

// True when `needle` is in `hay`; otherwise says what was there instead.
inline bool contains_text(const std::string& hay, const std::string& needle) {
    if (hay.find(needle) != std::string::npos) return true;
    qWarning("\"%s\" not in: %s", needle.c_str(), hay.c_str());
    return false;
}
