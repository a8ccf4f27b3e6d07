#include "core/models/LdmNames.h"

#include <QRegularExpression>

namespace redifine {

namespace {

QString renameResnetParts(QString rest)
{
    static const QList<QPair<QString, QString>> parts{{QStringLiteral("norm1."), QStringLiteral("in_layers.0.")},
                                                      {QStringLiteral("conv1."), QStringLiteral("in_layers.2.")},
                                                      {QStringLiteral("norm2."), QStringLiteral("out_layers.0.")},
                                                      {QStringLiteral("conv2."), QStringLiteral("out_layers.3.")},
                                                      {QStringLiteral("time_emb_proj."), QStringLiteral("emb_layers.1.")},
                                                      {QStringLiteral("conv_shortcut."), QStringLiteral("skip_connection.")}};
    for (const auto &[from, to] : parts)
        if (rest.startsWith(from))
            return to + rest.mid(from.size());
    return rest;
}

} // namespace

QString ldmUNetName(const QString &name, const UNetConfig &config)
{
    const int step = config.layersPerBlock + 1;   // an LDM level holds the resnets (+ attention) and a resampler
    const int blocks = int(config.blockOutChannels.size());
    static const QList<QPair<QString, QString>> fixed{{QStringLiteral("time_embedding.linear_1."), QStringLiteral("time_embed.0.")},
                                                      {QStringLiteral("time_embedding.linear_2."), QStringLiteral("time_embed.2.")},
                                                      {QStringLiteral("conv_in."), QStringLiteral("input_blocks.0.0.")},
                                                      {QStringLiteral("conv_norm_out."), QStringLiteral("out.0.")},
                                                      {QStringLiteral("conv_out."), QStringLiteral("out.2.")}};
    QString ldm;
    for (const auto &[from, to] : fixed)
        if (name.startsWith(from))
            ldm = to + name.mid(from.size());
    static const QRegularExpression block(QStringLiteral("^(down|up)_blocks\\.(\\d+)\\.(resnets|attentions|downsamplers|upsamplers)\\.(\\d+)\\.(.*)$"));
    static const QRegularExpression mid(QStringLiteral("^mid_block\\.(resnets|attentions)\\.(\\d+)\\.(.*)$"));
    if (const QRegularExpressionMatch m = block.match(name); ldm.isEmpty() && m.hasMatch()) {
        const bool down = m.captured(1) == QLatin1String("down");
        const int i = m.captured(2).toInt(), j = m.captured(4).toInt();
        const QString kind = m.captured(3), rest = m.captured(5);
        if (down && kind == QLatin1String("resnets"))
            ldm = QStringLiteral("input_blocks.%1.0.").arg(step * i + j + 1) + renameResnetParts(rest);
        else if (down && kind == QLatin1String("attentions"))
            ldm = QStringLiteral("input_blocks.%1.1.").arg(step * i + j + 1) + rest;
        else if (down)   // downsamplers.0.conv.* -> op.*
            ldm = QStringLiteral("input_blocks.%1.0.op.").arg(step * (i + 1)) + QString(rest).remove(0, rest.indexOf(QLatin1Char('.')) + 1);
        else if (kind == QLatin1String("resnets"))
            ldm = QStringLiteral("output_blocks.%1.0.").arg(step * i + j) + renameResnetParts(rest);
        else if (kind == QLatin1String("attentions"))
            ldm = QStringLiteral("output_blocks.%1.1.").arg(step * i + j) + rest;
        else   // the upsampler follows the last resnet, and its attention when the up block has one
            ldm = QStringLiteral("output_blocks.%1.%2.").arg(step * i + config.layersPerBlock).arg(config.crossAttention[size_t(blocks - 1 - i)] ? 2 : 1) + rest;
    } else if (const QRegularExpressionMatch m = mid.match(name); ldm.isEmpty() && m.hasMatch()) {
        const int j = m.captured(2).toInt();
        ldm = m.captured(1) == QLatin1String("attentions") ? QStringLiteral("middle_block.1.") + m.captured(3)
                                                          : QStringLiteral("middle_block.%1.").arg(2 * j) + renameResnetParts(m.captured(3));
    }
    return QStringLiteral("model.diffusion_model.") + (ldm.isEmpty() ? name : ldm);
}

QString ldmVaeName(const QString &name, const VaeConfig &config)
{
    const int blocks = int(config.blockOutChannels.size());
    QString ldm = name;
    static const QRegularExpression block(QStringLiteral("^(encoder|decoder)\\.(down|up)_blocks\\.(\\d+)\\.(resnets|downsamplers|upsamplers)\\.(\\d+)\\.(.*)$"));
    static const QRegularExpression mid(QStringLiteral("^(encoder|decoder)\\.mid_block\\.(resnets|attentions)\\.(\\d+)\\.(.*)$"));
    if (const QRegularExpressionMatch m = block.match(name); m.hasMatch()) {
        const bool encoder = m.captured(1) == QLatin1String("encoder");
        const int level = encoder ? m.captured(3).toInt() : blocks - 1 - m.captured(3).toInt();
        const QString kind = m.captured(4);
        const QString head = QStringLiteral("%1.%2.%3.").arg(m.captured(1), encoder ? QStringLiteral("down") : QStringLiteral("up")).arg(level);
        if (kind == QLatin1String("resnets"))
            ldm = head + QStringLiteral("block.%1.").arg(m.captured(5)) + m.captured(6);
        else
            ldm = head + (encoder ? QStringLiteral("downsample.") : QStringLiteral("upsample.")) + m.captured(6);
    } else if (const QRegularExpressionMatch m = mid.match(name); m.hasMatch()) {
        if (m.captured(2) == QLatin1String("resnets")) {
            ldm = QStringLiteral("%1.mid.block_%2.").arg(m.captured(1)).arg(m.captured(3).toInt() + 1) + m.captured(4);
        } else {
            static const QList<QPair<QString, QString>> attention{{QStringLiteral("group_norm."), QStringLiteral("norm.")},
                                                                  {QStringLiteral("to_q."), QStringLiteral("q.")},
                                                                  {QStringLiteral("to_k."), QStringLiteral("k.")},
                                                                  {QStringLiteral("to_v."), QStringLiteral("v.")},
                                                                  {QStringLiteral("to_out.0."), QStringLiteral("proj_out.")}};
            QString rest = m.captured(4);
            for (const auto &[from, to] : attention)
                if (rest.startsWith(from))
                    rest = to + rest.mid(from.size());
            ldm = QStringLiteral("%1.mid.attn_1.").arg(m.captured(1)) + rest;
        }
    }
    ldm.replace(QStringLiteral("conv_shortcut."), QStringLiteral("nin_shortcut."));
    ldm.replace(QStringLiteral("conv_norm_out."), QStringLiteral("norm_out."));
    return QStringLiteral("first_stage_model.") + ldm;
}

QString ldmTextEncoderName(const QString &name)
{
    return QStringLiteral("cond_stage_model.transformer.") + name;
}

} // namespace redifine
