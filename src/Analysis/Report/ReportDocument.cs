using System.Net;
using System.Text;

namespace FourierRepro.Analysis;

// A small document model, written out twice: REPORT.md and its HTML twin.
public abstract record ReportBlock;
public sealed record ReportHeading(int Level, string Text) : ReportBlock;
public sealed record ReportParagraph(string Text) : ReportBlock;
public sealed record ReportTable(string[] Header, IReadOnlyList<string[]> Rows) : ReportBlock;
public sealed record ReportImage(string RelativePath, string Alt) : ReportBlock;

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

    static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    public static string ToHtml(string title, IEnumerable<ReportBlock> blocks)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>{E(title)}</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;line-height:1.45}" +
                      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top}" +
                      "th{background:#eee}img{max-width:100%;border:1px solid #ddd}</style></head><body>");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportHeading h: sb.AppendLine($"<h{h.Level}>{E(h.Text)}</h{h.Level}>"); break;
                case ReportParagraph p: sb.AppendLine($"<p>{E(p.Text)}</p>"); break;
                case ReportImage i: sb.AppendLine($"<p><img src=\"{E(i.RelativePath)}\" alt=\"{E(i.Alt)}\"></p>"); break;
                case ReportTable t:
                    sb.Append("<table><tr>").Append(string.Concat(t.Header.Select(c => $"<th>{E(c)}</th>"))).AppendLine("</tr>");
                    foreach (var row in t.Rows) sb.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).AppendLine("</tr>");
                    sb.AppendLine("</table>");
                    break;
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s).Replace("**", "");
}
