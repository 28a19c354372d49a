// Package spreadsheet reads and writes the CSV files in which organisers
// keep an ideathon's scores, projects and judges, the way afkar's command
// line reads them: a Go service that takes organisers' files reads them
// with this package and gets the same scores, the same problems at the
// same places, and the same answer.
//
// # Scores
//
// A scores file comes in one of two forms. The long form has one score per
// row, under a header with the columns project, judge, criterion and
// score, in any order:
//
//	project,judge,criterion,score
//	P001,J1,social,8
//	P001,J1,economic,7.5
//	P001,J2,social,
//
// The wide form has one row per project and judge, and one column per
// criterion, named by the criterion id:
//
//	project,judge,social,economic
//	P001,J1,8,7.5
//	P001,J2,,6
//
// Both files above hold the same three scores. In both forms an empty cell,
// or one holding only spaces, is a missing score: it is skipped, not
// reported. A row whose cells are all empty (a spreadsheet writes its blank
// rows as ",,,") is skipped too. Spaces around a cell are ignored. Scores
// are decimals written as JSON numbers are, with a leading + or zeros
// allowed and a decimal comma in place of the point (see Dialects), read
// exactly, never through floating point: "7.5", "7,5", "07" and "75e-1"
// are read; "NaN", "1e3x" and "1 500" are problems.
//
// # Projects and judges
//
// A projects file has a header with an id column and any of title,
// region, sector, cooperative, submitted_at, attributes.<key> columns and
// the bank's attributes column ([ReadProjects]); a judges file an id
// column and any of name, cooperative, conflicts and abstains ([ReadJudges]):
//
//	id,title,region,attributes.women_led
//	P001,"Solar fish drying, Dakhla",dakhla-oued-ed-dahab,yes
//
//	id,name,cooperative,conflicts
//	J1,Amina Idrissi,coop-017,P003|P007
//
// # Dialects
//
// Spreadsheets write CSV in their locale's [Dialect]. A reader finds the
// delimiter in the header line: the one of ',', ';' and tab it holds most
// often outside quotes (a first line "sep=;", which Excel writes and
// reads, names it instead); a header with none is one column, read with
// ','. A decimal comma ("15,5") is read as the same decimal as "15.5",
// whatever the delimiter; in a file separated by ',' such a cell is quoted,
// and one that could be a thousands separator ("1,500") gets a notice.
// Setting the delimiter or the decimal separator in [Options] overrides
// the detection. The decimals read do not depend on the dialect, nor does
// the digest of a dataset made of them.
//
// # Columns
//
// Header names may have spaces around them; they are matched
// case-sensitively ("Social" for "social" is a problem). A column that
// names nothing a file may have is ignored, with one notice naming every
// such column, unless it looks like a typo of a column the file lacks
// ("socail" for "social"): that is a problem. The files are UTF-8, with or
// without a byte order mark, with LF or CRLF line endings, quoted as RFC
// 4180 says.
//
// # Problems
//
// Lines are counted from 1, the file's first; a column is the 1-based
// number of a cell in its row (column 3 is the spreadsheet's column C),
// except in a problem with the CSV syntax itself, where it counts bytes
// from the start of the line. The readers check the shape of a file (its
// header, the number of cells in each row, the ids that must be present,
// the decimals and timestamps) and report every problem they find at once,
// as [Problems]. They do not look for duplicate scores, unknown ids or
// scores out of range: the dataset validator does, and [Origin] maps its
// messages back to the files. Messages name afkar's flags where a setting
// would help: --delimiter stands for Options.Dialect.Comma, and
// --extra-as-attributes for Options.ExtraAsAttributes.
//
// # Writing
//
// [WriteScores], [WriteProjects] and [WriteJudges] write what the readers
// read back as it was, in any dialect: the same scores, in the same order,
// with equal decimals; the same projects and judges, field for field. A
// dataset made of their files therefore has the digest of the dataset they
// were written from. Text that a cell cannot hold as it is (white space at
// its ends, which the readers trim; a carriage return, which CSV folds
// into a line end; an empty attribute, which reads as none) is a problem,
// reported with its dataset path as [afkar.Problems], and then nothing is
// written. Free text that a spreadsheet would run as a formula (=, +, -,
// @ at its start) is written with a ' before it, which the readers take
// off. Each writer builds the whole file before writing it at once.
//
// # Fast and careful readers
//
// [ReadScores] and [ReadProjects] read any file, and place every problem.
// [ReadScoresFast] and [ReadProjectsFast] read the plain files that
// programs write (no quotes, no padding), in any dialect, on every core,
// and decline any other file, or any problem, rather than answer
// differently: the caller then reads the file the careful way.
//
// The readers and writers keep no state between calls: any number of
// goroutines may call them at once.
package spreadsheet
