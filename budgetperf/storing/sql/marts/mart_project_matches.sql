-- grain: project_id, earlier_year
-- The same evaluated project in two years, for like-for-like year-on-year figures
-- (a change over the projects present in both years, never over two different
-- sets: 310 projects one year and 404 the next are not comparable as totals).
-- Same project: the same name (letters and digits only, case aside) in the same
-- region and unit, that name unique there in each year; or a programme renamed
-- between the years (program_links, from `understanding.linking`). One earlier
-- match per project and earlier year, and one later match per earlier project and
-- later year: a name match first.
create or replace table mart_project_matches as
with evaluated as (
    select project_id, region, unit, year,
           regexp_replace(lower(project_name), '[^\p{L}\p{N}]', '', 'g') as name_key
    from mart_projects
    where kind = 'evaluation' and year is not null and region is not null
),
unique_names as (
    select * from evaluated
    where name_key <> ''
    qualify count(*) over (partition by region, unit, year, name_key) = 1
),
by_name as (
    select later.project_id, earlier.project_id as earlier_project_id, later.year, earlier.year as earlier_year,
           1 as preference
    from unique_names later
    join unique_names earlier
      on earlier.region = later.region and earlier.unit is not distinct from later.unit
     and earlier.name_key = later.name_key and earlier.year < later.year
),
by_link as (
    select l.project_id, l.earlier_project_id, later.year, earlier.year as earlier_year, 2 as preference
    from program_links l
    join evaluated later on later.project_id = l.project_id
    join evaluated earlier on earlier.project_id = l.earlier_project_id
    where earlier.year < later.year
),
candidates as (
    select * from by_name
    union all
    select * from by_link
),
one_earlier as (
    select * from candidates
    qualify row_number() over (partition by project_id, earlier_year order by preference, earlier_project_id) = 1
),
final as (
    select project_id, earlier_project_id, year, earlier_year
    from one_earlier
    qualify row_number() over (partition by earlier_project_id, year order by preference, project_id) = 1
)
select * from final;
