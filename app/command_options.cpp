#include "command_options.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace cs::app {

std::map<std::string, std::string> parse_command_options(const std::vector<std::string>& args,
                                                         size_t from,
                                                         const std::vector<std::string>& known,
                                                         std::string& positional) {
    std::map<std::string, std::string> out;
    for (size_t i = from; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) {
            if (!positional.empty()) throw UsageError{"unexpected argument \"" + a + "\""};
            positional = a;
            continue;
        }
        std::string name = a.substr(2), value;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "--" : ", --") + k;
            throw UsageError{"unknown option --" + name +
                             " (options: " + (list.empty() ? "none" : list) + ")"};
        }
        if (!has_value) {
            if (i + 1 >= args.size()) throw UsageError{"--" + name + " needs a value"};
            value = args[++i];
        }
        out[name] = value;
    }
    return out;
}

uint64_t parse_whole(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi,
                     const std::string& allowed) {
    std::string digits = text.substr(!text.empty() && text[0] == '-' ? 1 : 0);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError{option + ": \"" + text +
                         "\" is not a whole number (allowed: " + allowed + ")"};
    errno = 0;
    uint64_t value = std::strtoull(digits.c_str(), nullptr, 10);
    if (text[0] == '-' || errno == ERANGE || value < lo || value > hi)
        throw UsageError{option + ": \"" + text + "\" is out of range (allowed: " + allowed +
                         ")"};
    return value;
}

}  // namespace cs::app
