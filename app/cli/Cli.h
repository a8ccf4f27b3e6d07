#pragma once

#include <QStringList>
#include <QTextStream>

namespace redifine::cli {

// Exit codes of the redifine CLI.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitInterrupted = 130 };

// Runs the CLI on arguments (without the program name), writing results to out and errors to err.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace redifine::cli
