/*
 * Spreadsheets HR officers import and export people with: CSV and XLSX
 * read into one JSON shape, and templates or exports written in both
 * formats with the same layout (Vietnamese headers, English keys, an
 * optional example row, then data). No Kore dependency, so it is
 * unit-tested directly and runs inside Kore task threads.
 */
#ifndef REGISTRY_SHEET_H
#define REGISTRY_SHEET_H

#include <stddef.h>

#include <jansson.h>

#define XLSX_TYPE \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#define SHEET_CSV	1
#define SHEET_XLSX	2

struct sheet_error {
	int	status;		/* 415 type/encoding, 422 broken/too big, 500 */
	char	code[32];	/* "unsupported-type", "bad-encoding", ... */
	char	vi[256];	/* Vietnamese sentence, UTF-8 */
	char	en[256];
};

/*
 * max_rows counts every non-empty row sheet_read returns, header rows
 * included. max_cells and max_text are counted as the file streams in,
 * over every column (kept or not): each use of an XLSX shared string
 * counts its whole text, and the shared-string table itself is held to
 * max_text, so a small file cannot expand into a large one in memory.
 * Zero limits are not "unlimited": they refuse everything.
 */
struct sheet_limits {
	size_t	max_rows;	/* more rows: file-level "too-many-rows" */
	size_t	max_cols;	/* a value further right: "too-many-columns" */
	size_t	max_cell;	/* bytes; longer is "" plus "cell-too-long" */
	size_t	max_xml;	/* uncompressed bytes of any XLSX part */
	size_t	max_cells;	/* non-empty cells: "too-many-cells" */
	size_t	max_text;	/* bytes of cell text: "too-much-text" */
};

/*
 * Which columns to read on, decided from the first non-empty row (the
 * header): fn sets keep[i] for each 0-based column i < n to keep. Cells
 * of other columns are counted against the limits, then dropped; a row
 * holding only such cells is still returned, with empty cells.
 */
struct sheet_pick {
	void	(*fn)(json_t *, unsigned char *, size_t, void *);
	void	 *arg;
};

struct sheet_column {
	const char		*key;		/* English key: "citizen_id" */
	const char		*header_vi;	/* "Số định danh cá nhân" */
	const char		*header_en;	/* "Citizen ID" */
	const char		*help_vi;	/* one line for the guide */
	const char		*help_en;
	const char *const	*choices;	/* NULL-terminated, or NULL */
	int			 text;		/* "@": IDs keep leading 0s */
	double			 width;		/* 0: a default width */
};

struct sheet_doc {
	const char			*sheet_name;	/* "Danh sách" */
	const char			*guide_name;	/* NULL: no guide */
	const struct sheet_column	*cols;
	size_t				 ncols;
	const char *const		*example;	/* ncols, or NULL */
};

int	 sheet_sniff(const void *, size_t);
json_t	*sheet_read(const void *, size_t, int, const struct sheet_limits *,
	    struct sheet_error *);
json_t	*sheet_read_cols(const void *, size_t, int,
	    const struct sheet_limits *, const struct sheet_pick *,
	    struct sheet_error *);
int	 sheet_write_xlsx(const struct sheet_doc *, json_t *, const char *,
	    unsigned char **, size_t *);
int	 sheet_write_csv(const struct sheet_doc *, json_t *, char **,
	    size_t *);

/*
 * Shared by the two readers (sheet_csv.c holds them); callers use the
 * functions above. Columns are 1-based, as "col" in problems is.
 */
enum sheet_fault {
	SHEET_E_TYPE,		/* 415 "unsupported-type" */
	SHEET_E_ENCODING,	/* 415 "bad-encoding" */
	SHEET_E_BROKEN,		/* 422 "broken-xlsx" */
	SHEET_E_LARGE,		/* 422 "too-large": over max_xml */
	SHEET_E_ROWS,		/* 422 "too-many-rows" */
	SHEET_E_COLS,		/* 422 "too-many-columns" */
	SHEET_E_EMPTY,		/* 422 "empty-file" */
	SHEET_E_MEMORY,		/* 500 "no-memory" */
	SHEET_E_CELLS,		/* 422 "too-many-cells" */
	SHEET_E_TEXT		/* 422 "too-much-text" */
};

struct sheet_rows {
	json_t				*rows;
	json_t				*cells;		/* the row being read */
	json_t				*problems;	/* NULL until one */
	const struct sheet_limits	*lim;
	struct sheet_error		*err;		/* failed if status */
	const struct sheet_pick		*pick;		/* NULL: every column */
	unsigned char			*keep;		/* max_cols, once picked */
	size_t				 ncells;	/* counted so far */
	size_t				 ntext;
	int				 dropped;	/* this row had some */
};

void	 sheet_fail(struct sheet_error *, enum sheet_fault, size_t);
int	 sheet_rows_init(struct sheet_rows *, const struct sheet_limits *,
	    const struct sheet_pick *, struct sheet_error *);
int	 sheet_cell(struct sheet_rows *, size_t, const char *, size_t);
int	 sheet_problem(struct sheet_rows *, size_t, const char *);
int	 sheet_row_end(struct sheet_rows *, size_t);
json_t	*sheet_rows_finish(struct sheet_rows *);
json_t	*sheet_read_xlsx(const void *, size_t, const struct sheet_limits *,
	    const struct sheet_pick *, struct sheet_error *);

#endif
