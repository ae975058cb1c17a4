using System.Net;
using System.Text;

namespace FourierRepro.Analysis;

// A small document model, written out twice: REPORT.md and its HTML twin.
public abstract record ReportBlock;
public sealed record ReportHeading(int Level, string Text) : ReportBlock;
public sealed record ReportParagraph(string Text) : ReportBlock;
public sealed record ReportTable(string[] Header, IReadOnlyList<string[]> Rows) : ReportBlock;
public sealed record ReportImage(string RelativePath, string Alt) : ReportBlock;

// A verdict inside a table cell: plain text in Markdown, a coloured badge in HTML (green holds, red does not where
// required, amber does not where not required, grey not evaluated). Travels through the string cells as a marked-up token.
public sealed record ReportVerdict(string Text, bool Holds, bool NotEvaluated, string Reason = "", bool Required = true)
{
    const char Mark = '\u0001', ReasonMark = '\u0002';
    public override string ToString() => $"{Mark}{(NotEvaluated ? 'n' : Holds ? 'y' : Required ? 'x' : 'o')}{Text}{ReasonMark}{Reason}";

    public static string Markdown(string cell)
    {
        if (cell.Length < 2 || cell[0] != Mark) return cell;
        var parts = cell[2..].Split(ReasonMark);
        return parts.Length > 1 && parts[1].Length > 0 ? $"**{parts[0]}** ({parts[1]})" : parts[0];
    }

    public static string Html(string cell, Func<string, string> encode)
    {
        if (cell.Length < 2 || cell[0] != Mark) return encode(cell);
        var css = cell[1] switch { 'y' => "pass", 'x' => "fail", 'o' => "soft", _ => "none" };
        var parts = cell[2..].Split(ReasonMark);
        var reason = parts.Length > 1 && parts[1].Length > 0 ? $"<br><small>{encode(parts[1])}</small>" : "";
        return $"<span class=\"verdict {css}\">{encode(parts[0])}</span>{reason}";
    }
}

public static class ReportDocument
{
    public static string ToMarkdown(IEnumerable<ReportBlock> blocks)
    {
        var sb = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportHeading h: sb.Append('#', h.Level).Append(' ').AppendLine(h.Text).AppendLine(); break;
                case ReportParagraph p: sb.AppendLine(p.Text).AppendLine(); break;
                case ReportImage i: sb.AppendLine($"![{i.Alt}]({i.RelativePath})").AppendLine(); break;
                case ReportTable t:
                    sb.AppendLine("| " + string.Join(" | ", t.Header.Select(Cell)) + " |");
                    sb.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
                    foreach (var row in t.Rows) sb.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
                    sb.AppendLine();
                    break;
            }
        }
        return sb.ToString();
    }

    static string Cell(string s) => ReportVerdict.Markdown(s).Replace("|", "\\|").Replace("\n", " ");

    public static string ToHtml(string title, IEnumerable<ReportBlock> blocks)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>{E(title)}</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;line-height:1.45}" +
                      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top}" +
                      "th{background:#eee}img{max-width:100%;border:1px solid #ddd}" +
                      ".verdict{font-weight:bold;padding:1px 6px;border-radius:3px;white-space:nowrap}.pass{background:#d4f4d2;color:#14561a}" +
                      ".fail{background:#fbd3d0;color:#8a1710}.soft{background:#fdebc8;color:#7a4b00}.none{background:#e6e6e6;color:#444}</style></head><body>");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportHeading h: sb.AppendLine($"<h{h.Level}>{E(h.Text)}</h{h.Level}>"); break;
                case ReportParagraph p: sb.AppendLine($"<p>{Bold(E(p.Text))}</p>"); break;
                case ReportImage i: sb.AppendLine($"<p><img src=\"{E(i.RelativePath)}\" alt=\"{E(i.Alt)}\"></p>"); break;
                case ReportTable t:
                    sb.Append("<table><tr>").Append(string.Concat(t.Header.Select(c => $"<th>{E(c)}</th>"))).AppendLine("</tr>");
                    foreach (var row in t.Rows) sb.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{ReportVerdict.Html(c, E)}</td>"))).AppendLine("</tr>");
                    sb.AppendLine("</table>");
                    break;
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s);

    // **bold** in paragraphs, as in the Markdown twin.
    static string Bold(string html) => System.Text.RegularExpressions.Regex.Replace(html, @"\*\*(.+?)\*\*", "<b>$1</b>");
}
