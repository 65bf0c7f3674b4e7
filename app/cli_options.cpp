#include "cli_options.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <cmath>
#include <cstdio>

#include "redis/redis_url.h"
#include "runtime/clock.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/scenario_loader.h"

namespace cs::app {
namespace {

void print(std::FILE* to, const QString& text) {
    std::fputs(text.toLocal8Bit().constData(), to);
    std::fflush(to);
}

CliExit usage_error(const QString& message) {
    print(stderr, QStringLiteral("chanscope: %1\nTry 'chanscope --help'.\n").arg(message));
    return CliExit{2};
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(const QString& text) {
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ms|s)?\\s*$"));
    QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch()) return std::nullopt;
    double value = m.captured(1).toDouble();
    double ms = m.captured(2) == QLatin1String("ms") ? value : value * 1000.0;
    if (!(ms >= 1.0) || ms > 24.0 * 3600.0 * 1000.0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<long long>(std::llround(ms)));
}

std::variant<CliOptions, CliExit> parse_cli(const QStringList& arguments, bool strict) {
    QCommandLineParser parser;
    // "-platform" is one (Qt) option, not -p -l -a -t...: -reverse must not read as -v.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(QStringLiteral(
        "ChanScope shows Go-style concurrency and caching live: it opens a window running a\n"
        "scenario (the worker_pool lesson unless --scenario names another; the lessons are\n"
        "listed at the left, and chanscope list prints them) and shows every task with what it\n"
        "waits on.\n"
        "Keys: Space pauses/resumes the clock, Right arrow steps to the next timer while paused,\n"
        "[ and ] halve and double the speed, Ctrl+. drains, Ctrl+Shift+. cancels, Ctrl+R runs\n"
        "the lesson again, F11 is presenter mode, Ctrl+Shift+D the dark theme, F1 lists them.\n"
        "The layout, theme and presenter mode are kept for the next session.\n"
        "Qt's own options (-platform offscreen, -style fusion...) are accepted too.\n"
        "Without a display: chanscope run|validate|list (scenarios), chanscope cachesim\n"
        "(hit ratios of eviction policies on a trace) and chanscope redis stat|events|bench\n"
        "(a live Redis's numbers, its keyspace events, our client's speed); each takes --help."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption speed(
        QStringLiteral("speed"),
        QStringLiteral("Clock speed, 0.05 (slow motion) .. 10. Default 1."), QStringLiteral("X"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("Run the scenario in FILE, or the built-in one NAME (chanscope list). "
                       "Default worker_pool."),
        QStringLiteral("FILE|NAME"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG to FILE when --quit-after expires, then exit "
                       "(status 1 if it cannot be saved)."),
        QStringLiteral("FILE"));
    const QCommandLineOption quit_after(
        QStringLiteral("quit-after"),
        QStringLiteral("Quit after DURATION of real time, e.g. 5s, 500ms, 1.5s."),
        QStringLiteral("DURATION"));
    const QCommandLineOption redis(
        QStringLiteral("redis"),
        QStringLiteral("Connect the Redis panel to URL at start, and run scenarios that use Redis "
                       "on it: redis://[[user]:password@]host[:port][/db] (the password may also "
                       "come from REDISCLI_AUTH). Without it such scenarios start a private "
                       "redis-server."),
        QStringLiteral("URL"));
    const QCommandLineOption report_frames(
        QStringLiteral("report-frames"),
        QStringLiteral("On exit, print frame-time statistics (frames, mean, median, p99, max) "
                       "and the scenario's throughput per node, to compare with chanscope run."));
    parser.addOptions({help, version, scenario, speed, screenshot, quit_after, redis, report_frames});

    const bool parsed = parser.parse(arguments);
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        const QString program = QStringLiteral("chanscope");
        text.replace(QStringLiteral("<executable_name>"), program);
        print(stdout, text);
        return CliExit{0};
    }
    if (parser.isSet(version)) {
        print(stdout, QStringLiteral("chanscope %1\n").arg(QStringLiteral(CHANSCOPE_VERSION)));
        return CliExit{0};
    }
    if (!parsed && (strict || parser.unknownOptionNames().isEmpty())) {
        return usage_error(parser.errorText());
    }
    if (strict && !parser.positionalArguments().isEmpty()) {
        return usage_error(QStringLiteral("unexpected argument '%1'")
                               .arg(parser.positionalArguments().constFirst()));
    }

    CliOptions options;
    if (parser.isSet(speed)) {
        bool ok = false;
        const QString text = parser.value(speed);
        options.speed = text.toDouble(&ok);
        if (!ok || !std::isfinite(options.speed) || options.speed < rt::Clock::min_speed ||
            options.speed > rt::Clock::max_speed) {
            return usage_error(
                QStringLiteral("--speed: '%1' is not a number from 0.05 to 10").arg(text));
        }
    }
    if (parser.isSet(scenario)) {
        options.scenario = parser.value(scenario);
        // Loaded here too, so that a bad file is refused before a window opens (it is small).
        try {
            scenario::load_scenario(options.scenario.toStdString());
        } catch (const scenario::ScenarioError& e) {
            return usage_error(QStringLiteral("--scenario: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    if (parser.isSet(quit_after)) {
        const QString text = parser.value(quit_after);
        options.quit_after = parse_duration(text);
        if (!options.quit_after) {
            return usage_error(QStringLiteral("--quit-after: '%1' is not a duration such as 5s or "
                                              "500ms (1 ms .. 24 h)")
                                   .arg(text));
        }
    }
    if (parser.isSet(redis)) {
        options.redis_url = parser.value(redis);
        try {
            redis::parse_redis_url(options.redis_url.toStdString());
        } catch (const std::exception& e) {
            return usage_error(QStringLiteral("--redis: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    options.report_frames = parser.isSet(report_frames);
    if (parser.isSet(screenshot)) {
        options.screenshot = parser.value(screenshot);
        if (options.screenshot.isEmpty())
            return usage_error(QStringLiteral("--screenshot: empty file name"));
        if (!options.quit_after) {
            return usage_error(QStringLiteral("--screenshot needs --quit-after (when to take it)"));
        }
    }
    return options;
}

}  // namespace cs::app
