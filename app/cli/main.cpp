#include "app/cli/Cli.h"

#include "core/runtime/BlasTuning.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    redifine::selectBlasKernelsOrReexec(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("redifine"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return redifine::cli::run(arguments, out, err);
}
