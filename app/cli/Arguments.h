#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace redifine::cli {

// The options of one subcommand, consumed one by one; whatever is left over at finish() is an error.
// Every problem throws InputError with one line naming the option, so the CLI can exit 2.
class Arguments
{
public:
    Arguments(QString command, QStringList arguments);

    bool takeFlag(const QString &name);
    std::optional<QString> takeValue(const QString &name);
    QString takeRequiredValue(const QString &name);
    std::optional<int> takeInt(const QString &name);
    std::optional<double> takeDouble(const QString &name);
    QStringList takeValues(const QString &name);   // every occurrence of a repeatable option
    std::optional<QString> takePositional();       // the first argument that is not an option
    void finish() const;

private:
    QString m_command;
    QStringList m_arguments;
};

} // namespace redifine::cli
