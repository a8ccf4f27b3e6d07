#pragma once
// Runs one of the product's executables as a user would, for the end-to-end tests.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdio>

struct CliResult
{
    int exitCode = -1;   // -1 when the program crashed
    QString out;
    QString err;
};

inline CliResult runProgram(const QString &program, const QStringList &arguments, int timeoutMs = 600000)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs))
        qFatal("%s did not finish", qPrintable(program));
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

inline CliResult cli(const QStringList &arguments)
{
    return runProgram(QStringLiteral(REDIFINE_CLI), arguments);
}
